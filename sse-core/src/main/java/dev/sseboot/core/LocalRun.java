package dev.sseboot.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A run held in this process: its events ({@link RunLog}, at most {@code maxEvents}), its outcome once ended, the
 * readers attached to it, and the publisher it runs ({@link RunUpstream}); or, with runs shared between
 * instances, a copy of a run that another instance runs, fed by a {@link SseRunSharing.Follow} through
 * {@link #copy()}. Every field that changes is guarded by
 * this object's monitor, held only briefly (it also makes appends to the log one at a time): readers are woken after
 * it is released, read the log without it, and nothing here waits.
 */
final class LocalRun implements SseRun {

	private final String id;

	private final InMemorySseRuns runs;

	/** The publisher's subscriber; {@code null} in a copy of a run from elsewhere. */
	private final @Nullable RunUpstream upstream;

	/** Where this run's events are shared, when they are. */
	private final SseRunSharing.@Nullable Events shared;

	/** The events, read by the readers mostly without a lock. */
	private final RunLog log;

	/** Attached readers: written on attach and detach only, read (without a copy) after every append. */
	private final CopyOnWriteArrayList<RunReader> readers = new CopyOnWriteArrayList<>();

	private SseRun.@Nullable Outcome outcome;

	/** Readers attached and not yet detached (counted from {@link #attach}, before they subscribe). */
	private int attached;

	/** Counts attaches: an orphan check scheduled before the latest one is stale. */
	private long attaches;

	/** A copy's follow while it is held (and fed); {@code null} once forgotten, until an attach follows again. */
	private SseRunSharing.@Nullable Follow follow;

	/**
	 * @param copy whether this is a copy of a run another instance runs (no publisher here), else a run of its own
	 * @param shared where a run of its own shares its events, if anywhere
	 */
	LocalRun(String id, InMemorySseRuns runs, int maxEvents, boolean copy, SseRunSharing.@Nullable Events shared) {
		this.id = id;
		this.runs = runs;
		this.log = new RunLog(id, maxEvents);
		this.upstream = copy ? null : new RunUpstream(this, runs.executor());
		this.shared = shared;
	}

	/** Whether this is a copy of a run that another instance runs. */
	boolean isCopy() {
		return this.upstream == null;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public synchronized Optional<Outcome> outcome() {
		return Optional.ofNullable(this.outcome);
	}

	/** The publisher's subscriber of a run of its own. */
	RunUpstream upstream() {
		if (this.upstream == null) {
			throw new IllegalStateException("SSE run " + this.id + " is a copy of a run from elsewhere");
		}
		return this.upstream;
	}

	/** How a follow feeds a copy: events at their sequences, then its end. */
	SseRunSharing.Events copy() {
		return new SseRunSharing.Events() {

			@Override
			public void append(long sequence, Object item) {
				synchronized (LocalRun.this) {
					long next = LocalRun.this.log.published();
					if (LocalRun.this.outcome != null || sequence < next) {
						return;
					}
					if (sequence > next) {
						LocalRun.this.log.skipTo(sequence);
					}
					LocalRun.this.log.append(item);
				}
				wake();
			}

			@Override
			public void end(Outcome outcome, @Nullable SseEvent last) {
				LocalRun.this.end(outcome, last);
			}

		};
	}

	/** Sets a copy's follow; {@code false} (and the follow is closed) when it has one already. */
	boolean followed(SseRunSharing.Follow follow) {
		synchronized (this) {
			if (this.follow == null) {
				this.follow = follow;
				return true;
			}
		}
		follow.close();
		return false;
	}

	/** Whether a client is attached here now. */
	synchronized boolean hasReaders() {
		return this.attached > 0;
	}

	@Override
	public boolean attach(EventChannel channel, @Nullable String lastEventId, SseFormat format) {
		long from = RunIds.after(this.id, lastEventId);
		boolean forgotten;
		synchronized (this) {
			forgotten = isCopy() && this.follow == null;
		}
		if (forgotten) {
			// found just before nobody read it for the orphan timeout: held and fed again
			this.runs.follow(this);
		}
		synchronized (this) {
			long next = this.log.published();
			if (from > next && !isCopy()) {
				// an id of this run that it never issued: from the start, rather than skip what it did not see
				from = 0;
			}
			// a copy may lag the run: a reader past its end waits for the events it has not seen yet
			if (this.outcome != null && from >= next) {
				return false;
			}
			this.attached++;
			this.attaches++;
		}
		RunReader reader = new RunReader(this, from);
		try {
			// sealed: the one implementation
			((DefaultEventChannel) channel).stream(reader, RunReader::errorEvent, format.open(this.id));
		}
		catch (RuntimeException ex) {
			reader.cancel();
			throw ex;
		}
		return true;
	}

	/** Stores {@code item} as the next event and wakes the readers; {@code false} once the run has ended. */
	boolean append(Object item) {
		synchronized (this) {
			if (this.outcome != null) {
				return false;
			}
			long sequence = this.log.append(item);
			if (this.shared != null) {
				this.shared.append(sequence, item);
			}
		}
		wake();
		return true;
	}

	/** Ends the run with {@code outcome}, after storing {@code last} (an error event) when it is not null. */
	boolean end(SseRun.Outcome reason, @Nullable SseEvent last) {
		synchronized (this) {
			if (this.outcome != null) {
				return false;
			}
			if (last != null) {
				this.log.append(last);
			}
			this.outcome = reason;
			this.log.end(reason);
			if (this.shared != null) {
				this.shared.end(reason, last);
			}
		}
		this.runs.ended(this, reason);
		wake();
		return true;
	}

	/** Stops the run: cancels its publisher and ends it; {@code false} when it had already ended. */
	boolean stop(SseRun.Outcome reason) {
		RunUpstream publisher = this.upstream;
		if (publisher == null) {
			return this.runs.stopElsewhere(this.id);
		}
		if (!end(reason, null)) {
			return false;
		}
		publisher.cancel();
		return true;
	}

	private void wake() {
		for (RunReader reader : this.readers) {
			reader.drain();
		}
	}

	/**
	 * Whether a reader at {@code position} that wants nothing may still have something to do: the run ended and it
	 * has everything (it completes). Read without a lock, so a woken reader with no demand costs none.
	 */
	boolean endsAt(long position) {
		return this.log.endsAt(position);
	}

	/** Up to {@code max} events from sequence {@code from} (see {@link RunLog#slice(long, int)}). */
	Slice slice(long from, int max) {
		return this.log.slice(from, max);
	}

	synchronized void subscribed(RunReader reader) {
		this.readers.add(reader);
	}

	/** A reader ended (its channel closed, or the run did): once nobody is attached, the orphan timeout starts. */
	void detached(RunReader reader) {
		long generation;
		synchronized (this) {
			this.readers.remove(reader);
			this.attached--;
			if (this.attached > 0 || (this.outcome != null && !isCopy())) {
				return;
			}
			generation = this.attaches;
		}
		this.runs.scheduleOrphanCheck(this, generation);
	}

	/**
	 * The orphan timeout passed since the check was scheduled: cancels the run if nobody attached meanwhile, here or
	 * (when shared) on another instance; a copy nobody reads is forgotten instead.
	 */
	void orphanCheck(long generation) {
		synchronized (this) {
			if (this.attached > 0 || this.attaches != generation || (this.outcome != null && !isCopy())) {
				return;
			}
		}
		if (isCopy()) {
			SseRunSharing.Follow current;
			synchronized (this) {
				if (this.attached > 0 || this.attaches != generation) {
					return;
				}
				current = this.follow;
				this.follow = null;
			}
			if (current != null) {
				current.close();
			}
			this.runs.forget(this);
		}
		else if (this.shared != null && this.runs.attachedElsewhere(this.id)) {
			this.runs.scheduleOrphanCheck(this, generation);
		}
		else {
			stop(SseRun.Outcome.ORPHANED);
		}
	}

	@Override
	public String toString() {
		return "SseRun{" + this.id + "}";
	}

	/**
	 * Events read from a run.
	 *
	 * @param events in order (a reset alone when the reader is older than what is held)
	 * @param next the sequence after them
	 * @param ended whether they reach the end of an ended run
	 * @param failed whether the last of them is the run's error event
	 */
	record Slice(List<RunItem> events, long next, boolean ended, boolean failed) {

	}

	/**
	 * A run's item on its way to a channel, with its id: the channel's format makes it a frame that keeps the id.
	 *
	 * @param item as the publisher gave it (or the run's error event, or a reset)
	 * @param id {@code <run id>:<sequence>}
	 */
	record RunItem(Object item, String id) {

	}

}

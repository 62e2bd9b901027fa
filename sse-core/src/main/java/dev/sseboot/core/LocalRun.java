package dev.sseboot.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * A run held in this process: its events ({@link RunLog}, at most {@code maxEvents}), its outcome once ended, the
 * readers attached to it, and the publisher it runs ({@link RunUpstream}). Every field that changes is guarded by
 * this object's monitor, held only briefly (it also makes appends to the log one at a time): readers are woken after
 * it is released, read the log without it, and nothing here waits.
 */
final class LocalRun implements SseRun {

	private final String id;

	private final InMemorySseRuns runs;

	private final RunUpstream upstream;

	/** The events, read by the readers mostly without a lock. */
	private final RunLog log;

	/** Attached readers: written on attach and detach only, read (without a copy) after every append. */
	private final CopyOnWriteArrayList<RunReader> readers = new CopyOnWriteArrayList<>();

	private SseRun.@Nullable Outcome outcome;

	/** Readers attached and not yet detached (counted from {@link #attach}, before they subscribe). */
	private int attached;

	/** Counts attaches: an orphan check scheduled before the latest one is stale. */
	private long attaches;

	LocalRun(String id, InMemorySseRuns runs, int maxEvents) {
		this.id = id;
		this.runs = runs;
		this.log = new RunLog(id, maxEvents);
		this.upstream = new RunUpstream(this, runs.executor());
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public synchronized Optional<Outcome> outcome() {
		return Optional.ofNullable(this.outcome);
	}

	RunUpstream upstream() {
		return this.upstream;
	}

	@Override
	public boolean attach(EventChannel channel, @Nullable String lastEventId, SseFormat format) {
		long from = RunIds.after(this.id, lastEventId);
		synchronized (this) {
			long next = this.log.published();
			if (from > next) {
				// an id of this run that it never issued: from the start, rather than skip what it did not see
				from = 0;
			}
			if (this.outcome != null && from == next) {
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
			this.log.append(item);
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
		}
		this.runs.ended(this, reason);
		wake();
		return true;
	}

	/** Stops the run: cancels its publisher and ends it; {@code false} when it had already ended. */
	boolean stop(SseRun.Outcome reason) {
		if (!end(reason, null)) {
			return false;
		}
		this.upstream.cancel();
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
			if (this.attached > 0 || this.outcome != null) {
				return;
			}
			generation = this.attaches;
		}
		this.runs.scheduleOrphanCheck(this, generation);
	}

	/** The orphan timeout passed since the check was scheduled: cancels the run if nobody attached meanwhile. */
	void orphanCheck(long generation) {
		synchronized (this) {
			if (this.attached > 0 || this.attaches != generation || this.outcome != null) {
				return;
			}
		}
		stop(SseRun.Outcome.ORPHANED);
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

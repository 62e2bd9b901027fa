package dev.sseboot.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

import org.jspecify.annotations.Nullable;

/**
 * A run's events, for one writer (the run, under its monitor) and many readers that take no lock in the common
 * case. The events sit in a ring indexed by sequence ({@code sequence & (length - 1)}), grown by doubling up to the
 * first power of two at or above the maximum, so a slot is reused only for an event already dropped. Writes take a
 * {@link StampedLock}'s write lock; a slice is read optimistically and validated, and read again under the read
 * lock only when a write came in between. So readers neither wait for each other nor, mostly, for the writer.
 */
final class RunLog {

	private static final int INITIAL = 16;

	private final String runId;

	private final int maxEvents;

	private final StampedLock lock = new StampedLock();

	private LocalRun.@Nullable RunItem[] ring = new LocalRun.RunItem[INITIAL];

	/** The sequence of the oldest event held. */
	private long base;

	/** The sequence the next event gets. */
	private long next;

	private SseRun.@Nullable Outcome outcome;

	/** {@link #next}, for reads without a lock. */
	private volatile long published;

	/** Whether {@link #outcome} is set, for reads without a lock; set after the last event. */
	private volatile boolean ended;

	RunLog(String runId, int maxEvents) {
		this.runId = runId;
		this.maxEvents = maxEvents;
	}

	/** Stores {@code item} as the next event; one writer at a time (the run's monitor). @return its sequence */
	long append(Object item) {
		LocalRun.RunItem event = new LocalRun.RunItem(item, RunIds.eventId(this.runId, this.next));
		long stamp = this.lock.writeLock();
		try {
			if (this.next - this.base == this.maxEvents) {
				this.ring[(int) (this.base & (this.ring.length - 1))] = null;
				this.base++;
			}
			else if (this.next - this.base == this.ring.length) {
				grow();
			}
			this.ring[(int) (this.next & (this.ring.length - 1))] = event;
			this.next++;
		}
		finally {
			this.lock.unlockWrite(stamp);
		}
		this.published = this.next;
		return this.next - 1;
	}

	/**
	 * Drops every event held and makes {@code sequence} the next one: a copy of a run from elsewhere whose oldest
	 * events were dropped there (a reader older than it gets a reset). One writer at a time (the run's monitor).
	 */
	void skipTo(long sequence) {
		long stamp = this.lock.writeLock();
		try {
			Arrays.fill(this.ring, null);
			this.base = sequence;
			this.next = sequence;
		}
		finally {
			this.lock.unlockWrite(stamp);
		}
		this.published = sequence;
	}

	/** Ends the log with {@code reason}; one writer at a time (the run's monitor). */
	void end(SseRun.Outcome reason) {
		long stamp = this.lock.writeLock();
		try {
			this.outcome = reason;
		}
		finally {
			this.lock.unlockWrite(stamp);
		}
		this.ended = true;
	}

	/** The sequence the next event gets, read without a lock. */
	long published() {
		return this.published;
	}

	/**
	 * Whether the log has ended and a reader at {@code position} has everything (or waits, in a copy, for events past
	 * its end that never came); read without a lock.
	 */
	boolean endsAt(long position) {
		return this.ended && position >= this.published;
	}

	/**
	 * Up to {@code max} events from sequence {@code from}: a reset alone when {@code from} is older than what is held,
	 * and whether the slice reaches the end of an ended log (and whether that last event is the run's error).
	 */
	LocalRun.Slice slice(long from, int max) {
		long stamp = this.lock.tryOptimisticRead();
		LocalRun.Slice slice = (stamp != 0) ? read(from, max) : null;
		if (slice != null && this.lock.validate(stamp)) {
			return slice;
		}
		stamp = this.lock.readLock();
		try {
			LocalRun.Slice locked = read(from, max);
			if (locked == null) {
				throw new IllegalStateException("SSE run " + this.runId + ": its log is inconsistent under its lock");
			}
			return locked;
		}
		finally {
			this.lock.unlockRead(stamp);
		}
	}

	/** The slice as the fields read now say; {@code null} when they contradict each other (a write came in). */
	private LocalRun.@Nullable Slice read(long from, int max) {
		long oldest = this.base;
		long end = this.next;
		SseRun.Outcome state = this.outcome;
		LocalRun.@Nullable RunItem[] events = this.ring;
		if (from < oldest) {
			SseEvent reset = SseEvent.builder().name(Broadcaster.RESET_EVENT).data(this.runId).build();
			LocalRun.RunItem item = new LocalRun.RunItem(reset, RunIds.eventId(this.runId, oldest - 1));
			return new LocalRun.Slice(List.of(item), oldest, false, false);
		}
		int count = (int) Math.max(0, Math.min(max, end - from));
		if (end - oldest > events.length) {
			return null;
		}
		List<LocalRun.RunItem> out = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			LocalRun.RunItem event = events[(int) ((from + i) & (events.length - 1))];
			if (event == null) {
				return null;
			}
			out.add(event);
		}
		long after = from + count;
		boolean ends = state != null && after >= end;
		boolean failed = ends && count > 0 && (state == SseRun.Outcome.ERROR || state == SseRun.Outcome.LOST);
		return new LocalRun.Slice(out, after, ends, failed);
	}

	private void grow() {
		LocalRun.@Nullable RunItem[] larger = new LocalRun.RunItem[this.ring.length * 2];
		for (long sequence = this.base; sequence < this.next; sequence++) {
			larger[(int) (sequence & (larger.length - 1))] = this.ring[(int) (sequence & (this.ring.length - 1))];
		}
		this.ring = larger;
	}

}

package dev.sseboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The {@link Heartbeat}'s bookkeeping: a timing wheel of {@value #SLOTS} slots, each {@code slotWidth} of the clock
 * wide. A channel waits in the slot of the time its next heartbeat may be due, in a list it can leave in constant
 * time when it closes. A tick takes out what is due from the slots its time has reached (the current slot again at
 * each tick, since part of it may not have been due at the last one), asks those channels with no lock held, and files
 * them again where their channel says. A time more than one turn of the wheel ahead waits in its slot through the
 * turns before (visited once a turn, and left). So a tick costs the channels due plus the slots passed, never all.
 */
final class HeartbeatWheel {

	/** The slot width of a heartbeat ticked by hand. */
	static final Duration MANUAL_SLOT = Duration.ofMillis(1);

	static final int SLOTS = 512;

	private static final int MASK = SLOTS - 1;

	/** One registered channel. The fields but {@code channel} and {@code intervalNanos} are guarded by the wheel. */
	static final class Entry {

		final DefaultEventChannel channel;

		final long intervalNanos;

		long dueNanos;

		/** The slot it waits in; -1 while a tick holds it, or once it left. */
		int slot = -1;

		boolean registered = true;

		@Nullable Entry previous;

		@Nullable Entry next;

		Entry(DefaultEventChannel channel, long intervalNanos) {
			this.channel = channel;
			this.intervalNanos = intervalNanos;
		}

	}

	private final LongSupplier clock;

	private final long origin;

	private final @Nullable Entry[] heads = new Entry[SLOTS];

	private long slotWidthNanos;

	/** The slot the last tick reached: the next tick walks from it (again) to its own. */
	private long reached;

	private int size;

	private int lastVisited;

	HeartbeatWheel(LongSupplier clock, Duration slotWidth) {
		this.clock = clock;
		this.origin = clock.getAsLong();
		this.slotWidthNanos = slotWidth.toNanos();
	}

	/** Registers {@code channel}, first due one interval from now. */
	synchronized Entry add(DefaultEventChannel channel, long intervalNanos) {
		Entry entry = new Entry(channel, intervalNanos);
		this.size++;
		file(entry, this.clock.getAsLong() + intervalNanos);
		return entry;
	}

	/** Forgets {@code entry}: its channel closed. Idempotent. */
	synchronized void remove(Entry entry) {
		if (entry.registered) {
			entry.registered = false;
			this.size--;
			unlink(entry);
		}
	}

	synchronized int size() {
		return this.size;
	}

	synchronized int lastVisited() {
		return this.lastVisited;
	}

	/** Takes out what is due, asks each channel with no lock held, and files those still registered again. */
	void tick() {
		long now = this.clock.getAsLong();
		List<Entry> due = new ArrayList<>();
		synchronized (this) {
			long current = slotOf(now);
			for (long slot = Math.max(this.reached, current - SLOTS + 1); slot <= current; slot++) {
				takeDue((int) (slot & MASK), now, due);
			}
			this.reached = current;
			this.lastVisited = due.size();
		}
		if (due.isEmpty()) {
			return;
		}
		long[] next = new long[due.size()];
		for (int i = 0; i < next.length; i++) {
			Entry entry = due.get(i);
			next[i] = entry.channel.heartbeatDue(entry.intervalNanos, now);
		}
		synchronized (this) {
			for (int i = 0; i < next.length; i++) {
				Entry entry = due.get(i);
				if (entry.registered) {
					file(entry, next[i]);
				}
			}
		}
	}

	/** A new slot width (a faster tick): every channel is filed again where its time falls now. */
	synchronized void slotWidth(Duration width) {
		List<Entry> all = new ArrayList<>(this.size);
		for (int i = 0; i < SLOTS; i++) {
			takeDue(i, Long.MAX_VALUE, all);
		}
		this.slotWidthNanos = width.toNanos();
		this.reached = slotOf(this.clock.getAsLong());
		for (Entry entry : all) {
			file(entry, entry.dueNanos);
		}
	}

	synchronized void clear() {
		for (int i = 0; i < SLOTS; i++) {
			for (Entry entry = this.heads[i]; entry != null; entry = entry.next) {
				entry.registered = false;
				entry.slot = -1;
			}
			this.heads[i] = null;
		}
		this.size = 0;
	}

	/** Moves the entries of slot {@code index} due by {@code now} to {@code out}. */
	private void takeDue(int index, long now, List<Entry> out) {
		Entry entry = this.heads[index];
		while (entry != null) {
			Entry next = entry.next;
			if (entry.dueNanos - now <= 0) {
				unlink(entry);
				out.add(entry);
			}
			entry = next;
		}
	}

	private long slotOf(long nanos) {
		return Math.floorDiv(nanos - this.origin, this.slotWidthNanos);
	}

	/** Files {@code entry} in the slot of {@code dueNanos}, or in the current slot for a time already past. */
	private void file(Entry entry, long dueNanos) {
		int index = (int) (Math.max(slotOf(dueNanos), this.reached) & MASK);
		entry.dueNanos = dueNanos;
		entry.slot = index;
		entry.previous = null;
		entry.next = this.heads[index];
		if (entry.next != null) {
			entry.next.previous = entry;
		}
		this.heads[index] = entry;
	}

	private void unlink(Entry entry) {
		if (entry.slot < 0) {
			return;
		}
		if (entry.previous != null) {
			entry.previous.next = entry.next;
		}
		else {
			this.heads[entry.slot] = entry.next;
		}
		if (entry.next != null) {
			entry.next.previous = entry.previous;
		}
		entry.previous = null;
		entry.next = null;
		entry.slot = -1;
	}

}

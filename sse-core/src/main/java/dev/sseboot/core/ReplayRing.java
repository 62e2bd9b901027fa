package dev.sseboot.core;

import org.jspecify.annotations.Nullable;

/**
 * The last {@code capacity} events of a topic with their (increasing) sequence numbers and ids, encoded. Its arrays
 * grow as it fills (doubling up to the capacity), so a topic that holds a few events costs a few slots, not the
 * whole window. Not thread-safe: its topic guards it.
 */
final class ReplayRing {

	private static final int FIRST_SLOTS = 4;

	private final int capacity;

	private long[] sequences = new long[0];

	private String[] ids = new String[0];

	private EncodedEvents[] events = new EncodedEvents[0];

	private int head;

	private int size;

	ReplayRing(int capacity) {
		this.capacity = capacity;
	}

	int capacity() {
		return this.capacity;
	}

	int size() {
		return this.size;
	}

	/** Slots allocated now: at most the capacity, and no more than it has held, rounded up to a power of two. */
	int slots() {
		return this.events.length;
	}

	/** Adds an event; returns the sequence of the event it pushed out (itself when the capacity is 0), or -1. */
	long add(long sequence, String id, EncodedEvents encoded) {
		if (this.capacity == 0) {
			return sequence;
		}
		if (this.size == this.events.length && this.events.length < this.capacity) {
			grow();
		}
		long evicted = -1;
		int slot;
		if (this.size == this.events.length) {
			slot = this.head;
			evicted = this.sequences[slot];
			this.head = (this.head + 1) % this.events.length;
		}
		else {
			slot = (this.head + this.size) % this.events.length;
			this.size++;
		}
		this.sequences[slot] = sequence;
		this.ids[slot] = id;
		this.events[slot] = encoded;
		return evicted;
	}

	/** The sequence of the held event with this id (newest first), or -1. */
	long sequenceOf(String id) {
		for (int i = this.size - 1; i >= 0; i--) {
			int slot = slot(i);
			if (this.ids[slot].equals(id)) {
				return this.sequences[slot];
			}
		}
		return -1;
	}

	/**
	 * Every held event with a sequence above {@code sequence}, oldest first: the ring's own instances, shared, not
	 * copied; empty when there are none; {@code null} when they hold more than {@code maxBytes}.
	 */
	EncodedEvents @Nullable [] after(long sequence, long maxBytes) {
		int from = this.size;
		long bytes = 0;
		while (from > 0 && this.sequences[slot(from - 1)] > sequence) {
			from--;
			bytes += this.events[slot(from)].bytes().length;
			if (bytes > maxBytes) {
				return null;
			}
		}
		EncodedEvents[] block = new EncodedEvents[this.size - from];
		for (int i = from; i < this.size; i++) {
			block[i - from] = this.events[slot(i)];
		}
		return block;
	}

	/** Doubles the arrays (up to the capacity), laying the held events out from slot 0. */
	private void grow() {
		int length = (int) Math.min(this.capacity, Math.max(FIRST_SLOTS, 2L * this.events.length));
		long[] sequences = new long[length];
		String[] ids = new String[length];
		EncodedEvents[] events = new EncodedEvents[length];
		for (int i = 0; i < this.size; i++) {
			int slot = slot(i);
			sequences[i] = this.sequences[slot];
			ids[i] = this.ids[slot];
			events[i] = this.events[slot];
		}
		this.sequences = sequences;
		this.ids = ids;
		this.events = events;
		this.head = 0;
	}

	private int slot(int index) {
		return (this.head + index) % this.events.length;
	}

}

package dev.sseboot.core;

/**
 * The last {@code capacity} events of a topic with their (increasing) sequence numbers and ids, encoded. Not
 * thread-safe: its topic guards it.
 */
final class ReplayRing {

	private static final EncodedEvents NOTHING = new EncodedEvents(new byte[0], 0);

	private final long[] sequences;

	private final String[] ids;

	private final EncodedEvents[] events;

	private int head;

	private int size;

	ReplayRing(int capacity) {
		this.sequences = new long[capacity];
		this.ids = new String[capacity];
		this.events = new EncodedEvents[capacity];
	}

	int capacity() {
		return this.events.length;
	}

	int size() {
		return this.size;
	}

	/** Adds an event; returns the sequence of the event it pushed out (itself when the capacity is 0), or -1. */
	long add(long sequence, String id, EncodedEvents encoded) {
		int capacity = this.events.length;
		if (capacity == 0) {
			return sequence;
		}
		long evicted = -1;
		int slot;
		if (this.size == capacity) {
			slot = this.head;
			evicted = this.sequences[slot];
			this.head = (this.head + 1) % capacity;
		}
		else {
			slot = (this.head + this.size) % capacity;
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

	/** Every held event with a sequence above {@code sequence}, oldest first, as one block. */
	EncodedEvents after(long sequence) {
		int from = this.size;
		while (from > 0 && this.sequences[slot(from - 1)] > sequence) {
			from--;
		}
		if (from == this.size) {
			return NOTHING;
		}
		int total = 0;
		for (int i = from; i < this.size; i++) {
			total += this.events[slot(i)].bytes().length;
		}
		byte[] out = new byte[total];
		int pos = 0;
		for (int i = from; i < this.size; i++) {
			byte[] bytes = this.events[slot(i)].bytes();
			System.arraycopy(bytes, 0, out, pos, bytes.length);
			pos += bytes.length;
		}
		return new EncodedEvents(out, this.size - from);
	}

	private int slot(int index) {
		return (this.head + index) % this.events.length;
	}

}

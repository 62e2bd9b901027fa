package dev.sseboot.core;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The bounded buffer of one channel: encoded events waiting for the drain. Whether an event was accepted is decided
 * here, under one lock, so that closing and offering cannot disagree. Grows on demand up to its capacity, so an idle
 * connection holds little memory.
 */
final class EventBuffer {

	enum Offer {

		ACCEPTED, ACCEPTED_DROPPING_OLDEST, DROPPED_NEWEST, FULL, CLOSED, INTERRUPTED

	}

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	private final ArrayDeque<byte[]> items = new ArrayDeque<>();

	private final int capacity;

	private volatile int size;

	private volatile boolean inputClosed;

	EventBuffer(int capacity) {
		this.capacity = capacity;
	}

	Offer offer(byte[] item, OverflowPolicy policy, long timeoutNanos) {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return Offer.CLOSED;
			}
			if (this.items.size() < this.capacity) {
				add(item);
				return Offer.ACCEPTED;
			}
			switch (policy) {
				case DROP_OLDEST -> {
					this.items.pollFirst();
					add(item);
					return Offer.ACCEPTED_DROPPING_OLDEST;
				}
				case DROP_NEWEST -> {
					return Offer.DROPPED_NEWEST;
				}
				case CLOSE -> {
					return Offer.FULL;
				}
				default -> {
					return awaitRoom(item, timeoutNanos);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private Offer awaitRoom(byte[] item, long timeoutNanos) {
		long nanos = timeoutNanos;
		try {
			while (this.items.size() >= this.capacity && !this.inputClosed) {
				if (nanos <= 0) {
					return Offer.FULL;
				}
				nanos = this.notFull.awaitNanos(nanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Offer.INTERRUPTED;
		}
		if (this.inputClosed) {
			return Offer.CLOSED;
		}
		add(item);
		return Offer.ACCEPTED;
	}

	private void add(byte[] item) {
		this.items.addLast(item);
		this.size = this.items.size();
	}

	/** Everything buffered, oldest first, or {@code null} when empty; wakes producers waiting for room. */
	byte @Nullable [][] takeAll() {
		if (this.size == 0) {
			return null;
		}
		this.lock.lock();
		try {
			if (this.items.isEmpty()) {
				return null;
			}
			byte[][] all = this.items.toArray(new byte[0][]);
			this.items.clear();
			this.size = 0;
			this.notFull.signalAll();
			return all;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Refuses further offers, keeping what is buffered. Returns whether this call closed it. */
	boolean closeInput() {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return false;
			}
			this.inputClosed = true;
			this.notFull.signalAll();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Refuses further offers and discards what is buffered; returns how many events were discarded. */
	int discard() {
		this.lock.lock();
		try {
			this.inputClosed = true;
			int discarded = this.items.size();
			this.items.clear();
			this.size = 0;
			this.notFull.signalAll();
			return discarded;
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	boolean isInputClosed() {
		return this.inputClosed;
	}

	static long nanos(java.time.Duration timeout) {
		try {
			return timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			return TimeUnit.DAYS.toNanos(365);
		}
	}

}

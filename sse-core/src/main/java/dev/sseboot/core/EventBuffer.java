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

	enum Outcome {

		ACCEPTED, ACCEPTED_DROPPING_OLDEST, DROPPED_NEWEST, FULL, CLOSED, INTERRUPTED

	}

	/** What an offer did; {@code dropped} counts the events an {@code ACCEPTED_DROPPING_OLDEST} offer discarded. */
	record Offer(Outcome outcome, int dropped) {

		static final Offer ACCEPTED = new Offer(Outcome.ACCEPTED, 0);

		static final Offer DROPPED_NEWEST = new Offer(Outcome.DROPPED_NEWEST, 0);

		static final Offer FULL = new Offer(Outcome.FULL, 0);

		static final Offer CLOSED = new Offer(Outcome.CLOSED, 0);

		static final Offer INTERRUPTED = new Offer(Outcome.INTERRUPTED, 0);

	}

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	private final ArrayDeque<EncodedEvents> items = new ArrayDeque<>();

	private final int capacity;

	private volatile int size;

	private volatile boolean inputClosed;

	EventBuffer(int capacity) {
		this.capacity = capacity;
	}

	Offer offer(EncodedEvents item, OverflowPolicy policy, long timeoutNanos) {
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
					int dropped = this.items.pollFirst().events();
					add(item);
					return new Offer(Outcome.ACCEPTED_DROPPING_OLDEST, dropped);
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

	private Offer awaitRoom(EncodedEvents item, long timeoutNanos) {
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

	private void add(EncodedEvents item) {
		this.items.addLast(item);
		this.size = this.items.size();
	}

	/** Everything buffered, oldest first, or {@code null} when empty; wakes producers waiting for room. */
	EncodedEvents @Nullable [] takeAll() {
		if (this.size == 0) {
			return null;
		}
		this.lock.lock();
		try {
			if (this.items.isEmpty()) {
				return null;
			}
			EncodedEvents[] all = this.items.toArray(new EncodedEvents[0]);
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
			int discarded = 0;
			for (EncodedEvents item : this.items) {
				discarded += item.events();
			}
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

package dev.sseboot.core.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The bounded queue of a client without a listener: a full queue holds back the connection (the reader waits for
 * room), and {@link #close()} wakes every waiter on both sides and empties it, so nothing is taken after a close.
 */
final class MessageQueue {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	private final Condition notFull = this.lock.newCondition();

	private final ArrayDeque<SseMessage> messages = new ArrayDeque<>();

	private final int capacity;

	private boolean closed;

	MessageQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("SSE client queue capacity must be at least 1 (got " + capacity + ")");
		}
		this.capacity = capacity;
	}

	/** Waits for room; {@code false} when the queue was closed meanwhile (the message is dropped). */
	boolean put(SseMessage message) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (!this.closed && this.messages.size() >= this.capacity) {
				this.notFull.await();
			}
			if (this.closed) {
				return false;
			}
			this.messages.addLast(message);
			this.notEmpty.signal();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The next message, waiting up to {@code timeout}; empty on timeout or once closed. */
	Optional<SseMessage> poll(Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lockInterruptibly();
		try {
			while (!this.closed && this.messages.isEmpty()) {
				if (nanos <= 0) {
					return Optional.empty();
				}
				nanos = this.notEmpty.awaitNanos(nanos);
			}
			@Nullable SseMessage next = this.closed ? null : this.messages.pollFirst();
			if (next != null) {
				this.notFull.signal();
			}
			return Optional.ofNullable(next);
		}
		finally {
			this.lock.unlock();
		}
	}

	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.messages.clear();
			this.notEmpty.signalAll();
			this.notFull.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

}

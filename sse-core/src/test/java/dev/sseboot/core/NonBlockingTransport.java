package dev.sseboot.core;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A non-blocking transport whose readiness the test controls, as a servlet container's: after a write it is not
 * ready while {@link #stalled} (a client that stopped reading), and {@link #release()} makes it ready and runs the
 * channel's writable callback if, and only if, it last answered {@code false}. Records how it was ended and every
 * breach of the contract (a write while not ready, a call before start or after the end, a second callback).
 */
class NonBlockingTransport extends RecordingTransport {

	final AtomicInteger starts = new AtomicInteger();

	final AtomicInteger aborts = new AtomicInteger();

	final AtomicInteger gracefulCloses = new AtomicInteger();

	volatile boolean stalled;

	/** Chance that a write leaves the transport not ready, as a busy network does now and then. */
	volatile double stallChance;

	private volatile boolean ready = true;

	private volatile boolean answeredNotReady;

	private volatile Runnable onWritable;

	@Override
	public void start(Runnable onWritable) {
		this.starts.incrementAndGet();
		this.onWritable = onWritable;
	}

	@Override
	public synchronized boolean isReady() {
		if (this.onWritable == null) {
			this.violations.add("isReady before start");
		}
		if (!this.ready) {
			this.answeredNotReady = true;
		}
		return this.ready;
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		if (!this.ready) {
			this.violations.add("write while not ready");
		}
		super.write(bytes);
		if (this.stalled || ThreadLocalRandom.current().nextDouble() < this.stallChance) {
			synchronized (this) {
				this.ready = false;
			}
		}
	}

	@Override
	public void flush() throws IOException {
		if (!this.ready) {
			this.violations.add("flush while not ready");
		}
		super.flush();
	}

	@Override
	public void close() {
		this.gracefulCloses.incrementAndGet();
		super.close();
	}

	@Override
	public void abort() {
		this.aborts.incrementAndGet();
		super.close();
	}

	/**
	 * The client took everything written so far: ready again, and the channel hears of it if it asked. Still
	 * {@link #stalled} if it was: the next write is not taken either.
	 */
	void release() {
		boolean callBack;
		synchronized (this) {
			this.ready = true;
			callBack = this.answeredNotReady;
			this.answeredNotReady = false;
		}
		if (callBack) {
			this.onWritable.run();
		}
	}

	/**
	 * Acts as a container whose client lags, on a thread of {@code pool} until {@code done}: after a pause of up to
	 * {@code maxPauseNanos}, takes what is pending and calls back.
	 */
	Future<?> releaseAfterPauses(ExecutorService pool, AtomicBoolean done, long maxPauseNanos) {
		return pool.submit(() -> {
			while (!done.get()) {
				LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(10_000, maxPauseNanos));
				if (!wouldBeReady()) {
					release();
				}
			}
			return null;
		});
	}

	/** Whether it would answer ready now, without answering (what a container knows of its socket). */
	synchronized boolean wouldBeReady() {
		return this.ready;
	}

	/** Not ready from now on, as after a write the client does not take. */
	synchronized void stall() {
		this.stalled = true;
		this.ready = false;
	}

}

package dev.sseboot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The thread that writes the entries of the runs that run here to Redis: a queue (bounded: past
 * {@link #MAX_QUEUED} entries an entry is refused, so a publisher never waits for Redis nor fills the heap), taken
 * in batches, each run's entries of a batch in one script and one wake-up. While Redis does not answer it retries
 * the same batch, with backoff, so nothing is written twice or out of order.
 */
final class RedisRunWriter {

	private static final Log logger = LogFactory.getLog(RedisRunWriter.class);

	/** Entries queued at most. */
	static final int MAX_QUEUED = 100_000;

	private static final int BATCH = 2_000;

	private final RedisRunStore store;

	private final long idleNanos;

	private final Consumer<String> ended;

	private final ConcurrentLinkedQueue<Write> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicInteger signals = new AtomicInteger();

	private volatile @Nullable Thread thread;

	/**
	 * @param idleNanos how long the thread parks with nothing to write (a new entry wakes it at once)
	 * @param ended told the run id once a run's end is written
	 */
	RedisRunWriter(RedisRunStore store, long idleNanos, Consumer<String> ended) {
		this.store = store;
		this.idleNanos = idleNanos;
		this.ended = ended;
	}

	/** Queues an entry of a run; {@code false} (and nothing queued) when the queue is full. Never waits. */
	boolean queue(String runId, List<String> entry, boolean ends) {
		if (this.queued.incrementAndGet() > MAX_QUEUED) {
			this.queued.decrementAndGet();
			return false;
		}
		this.queue.add(new Write(runId, entry, ends));
		if (this.signals.getAndIncrement() == 0) {
			Thread current = this.thread;
			if (current != null) {
				LockSupport.unpark(current);
			}
		}
		return true;
	}

	synchronized void start() {
		if (this.thread == null) {
			Thread writer = new Thread(this::run, "sse-redis-runs-writer");
			writer.setDaemon(true);
			this.thread = writer;
			writer.start();
		}
	}

	/** Stops the thread once what is queued is written, waiting for that {@code drain} at most. */
	void stop(Duration drain, Duration join) {
		long deadline = System.nanoTime() + drain.toNanos();
		while (this.thread != null && this.queued.get() > 0 && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
		}
		Thread writer;
		synchronized (this) {
			writer = this.thread;
			this.thread = null;
		}
		if (writer != null) {
			writer.interrupt();
			try {
				writer.join(join.toMillis() + 1_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		Thread self = Thread.currentThread();
		long backoffMillis = 100;
		Map<String, List<Write>> batch = new LinkedHashMap<>();
		while (this.thread == self) {
			if (batch.isEmpty() && !take(batch)) {
				if (this.signals.getAndSet(0) == 0 || this.queue.isEmpty()) {
					LockSupport.parkNanos(this.idleNanos);
				}
				continue;
			}
			try {
				for (Map.Entry<String, List<Write>> run : new ArrayList<>(batch.entrySet())) {
					write(run.getKey(), run.getValue());
					batch.remove(run.getKey());
				}
				backoffMillis = 100;
			}
			catch (RuntimeException ex) {
				logger.debug("Could not write SSE runs to Redis; retrying", ex);
				LockSupport.parkNanos(Duration.ofMillis(backoffMillis).toNanos());
				backoffMillis = Math.min(backoffMillis * 2, 5_000);
			}
		}
	}

	/** Takes a batch off the queue, by run in order; {@code false} when there was nothing. */
	private boolean take(Map<String, List<Write>> batch) {
		int taken = 0;
		Write next;
		while (taken < BATCH && (next = this.queue.poll()) != null) {
			batch.computeIfAbsent(next.runId(), (id) -> new ArrayList<>()).add(next);
			taken++;
		}
		return taken > 0;
	}

	private void write(String runId, List<Write> writes) {
		boolean ends = writes.get(writes.size() - 1).ends();
		this.store.append(runId, writes.stream().map(Write::entry).toList(), ends);
		this.queued.addAndGet(-writes.size());
		if (ends) {
			this.ended.accept(runId);
		}
		try {
			this.store.wake(RedisRunStore.WAKE_EVENTS, runId);
		}
		catch (RuntimeException ex) {
			// written: followers catch up on their next period instead (writing it again would not help)
			logger.debug("Could not wake the followers of SSE run " + runId, ex);
		}
	}

	/** An entry on its way to Redis. */
	private record Write(String runId, List<String> entry, boolean ends) {

	}

}

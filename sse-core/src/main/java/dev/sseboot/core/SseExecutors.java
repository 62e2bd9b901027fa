package dev.sseboot.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where drains run by default, and the timer channels share.
 * <p>
 * A drain is CPU work only: it concatenates encoded events and hands them to a non-blocking transport, which never
 * waits on a client. So drains run on a pool sized for the CPU (see {@link #drainThreads()}), never on the
 * application's threads, and on platform threads even where virtual threads exist: with nothing to wait for, a
 * virtual thread per drain only adds its creation and scheduling (measured in {@code sse-benchmarks} on JDK 25: the
 * same highest rate, more CPU per event and a longer tail). The pool is fed by a queue, which matters for fan-out:
 * a publish to 1,000 subscribers requests 1,000 drains, and a pool that hands each task to a parked thread pays a
 * wake-up per task, while a queue wakes workers only when they are idle. Idle threads end after a minute.
 */
public final class SseExecutors {

	private static final class Holder {

		static final ExecutorService DRAIN = create();

	}

	private static final class TimerHolder {

		static final ScheduledExecutorService TIMER = createTimer();

	}

	private SseExecutors() {
	}

	/** The shared default drain executor; created on first use, never shut down (its threads are daemons). */
	public static ExecutorService drainExecutor() {
		return Holder.DRAIN;
	}

	/**
	 * The shared timer for channel deadlines (a {@code close()} that waits for a slow client): one daemon thread,
	 * created on first use, never shut down; cancelled tasks are removed at once.
	 */
	public static ScheduledExecutorService timer() {
		return TimerHolder.TIMER;
	}

	/**
	 * A new pool of {@link #drainThreads()} named daemon threads fed by an unbounded queue of drain tasks (each
	 * channel has at most one queued, so connections bound it); threads end after a minute idle.
	 */
	public static ExecutorService create() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (runnable) -> {
			Thread thread = new Thread(runnable, "sse-drain-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		int size = drainThreads();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				threads);
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Threads of a drain pool: one per core, at least two. Since no drain ever waits on a client, more threads than
	 * cores would only contend; two keep one long drain (a large batch) from delaying every other connection on a
	 * single-core machine.
	 */
	public static int drainThreads() {
		return Math.max(2, Runtime.getRuntime().availableProcessors());
	}

	private static ScheduledExecutorService createTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sse-timer");
			thread.setDaemon(true);
			return thread;
		});
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

}

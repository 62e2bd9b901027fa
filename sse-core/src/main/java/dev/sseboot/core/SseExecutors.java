package dev.sseboot.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where drains run by default, and the timer channels share. Drains get threads of their own, never the
 * application's: virtual threads on JDK 21 and later, otherwise a pool of daemon platform threads fed by a queue.
 * The queue matters for fan-out: a publish to 1,000 subscribers requests 1,000 drains, and a pool that hands each
 * task to a parked thread pays a wake-up per task, while a queue wakes workers only when they are idle. Idle
 * threads end after a minute, so idle connections hold none.
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

	/** Whether this JVM has virtual threads (JDK 21+). */
	public static boolean virtualThreadsAvailable() {
		return virtualPerTask() != null;
	}

	/** A new executor: a virtual thread per task on JDK 21+, otherwise {@link #createPlatform()}. */
	public static ExecutorService create() {
		Method factory = virtualPerTask();
		if (factory != null) {
			try {
				return (ExecutorService) factory.invoke(null);
			}
			catch (ReflectiveOperationException ex) {
				// fall through to platform threads
			}
		}
		return createPlatform();
	}

	/**
	 * A new pool of {@link #platformThreads()} named daemon platform threads fed by an unbounded queue of drain tasks
	 * (each channel has at most one queued); threads end after a minute idle.
	 */
	public static ExecutorService createPlatform() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (runnable) -> {
			Thread thread = new Thread(runnable, "sse-drain-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		int size = platformThreads();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				threads);
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/**
	 * Threads of the platform pool: one per core, at least two. A drain is CPU work only (concatenating encoded
	 * events and handing them to a non-blocking transport, which never waits on a client), so more threads than
	 * cores would only contend; two keep one slow drain (a large batch) from delaying every other connection on a
	 * single-core machine.
	 */
	public static int platformThreads() {
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

	private static Method virtualPerTask() {
		try {
			return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}

package dev.sseboot.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where drains run by default. Drains may block on a slow client's socket, so they get threads of their own, never
 * the application's: virtual threads on JDK 21 and later, otherwise a pool of daemon platform threads fed by a
 * queue. The queue matters for fan-out: a publish to 1,000 subscribers requests 1,000 drains, and a pool that hands
 * each task to a parked thread pays a wake-up per task, while a queue wakes workers only when they are idle. Idle
 * threads end after a minute, so idle connections hold none.
 */
public final class SseExecutors {

	private static final class Holder {

		static final ExecutorService DRAIN = create();

	}

	private SseExecutors() {
	}

	/** The shared default drain executor; created on first use, never shut down (its threads are daemons). */
	public static ExecutorService drainExecutor() {
		return Holder.DRAIN;
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
	 * Threads of the platform pool: 8 per core, at least 16. That many clients can be stuck in a blocking write (a
	 * reader that stopped reading, until the container's write timeout) before other connections wait for a thread;
	 * virtual threads have no such limit.
	 */
	public static int platformThreads() {
		return Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
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

package dev.sseboot.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

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
 * <p>
 * A streamed publisher's subscription is called elsewhere, on {@link #publisherExecutor()}: a synchronous publisher
 * produces inside {@code request}, and may block there (a JDBC cursor, a blocking client), which no drain may.
 */
public final class SseExecutors {

	private static final class Holder {

		static final ExecutorService DRAIN = create();

	}

	private static final class PublisherHolder {

		static final ExecutorService PUBLISHER = createPublisherExecutor();

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
	 * Where streamed publishers' subscriptions are called ({@code request}, {@code cancel}): a new virtual thread per
	 * task on JDK 21 and later, else a pool of daemon platform threads that grows as tasks wait and whose idle threads
	 * end after a minute. Each channel's calls are made one at a time whatever the executor; a publisher that blocks
	 * inside {@code request} holds one of these threads, never a drain. Created on first use, never shut down.
	 */
	public static ExecutorService publisherExecutor() {
		return PublisherHolder.PUBLISHER;
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

	private static ExecutorService createPublisherExecutor() {
		ThreadFactory virtual = virtualThreads("sse-publisher-");
		if (virtual != null) {
			return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 0, TimeUnit.SECONDS, new SynchronousQueue<>(), virtual);
		}
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "sse-publisher-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	/** A factory of virtual threads named {@code prefix} and a number, or {@code null} before JDK 21. */
	private static @Nullable ThreadFactory virtualThreads(String prefix) {
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> type = Class.forName("java.lang.Thread$Builder");
			builder = type.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) type.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
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

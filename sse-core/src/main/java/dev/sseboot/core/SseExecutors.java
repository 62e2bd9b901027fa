package dev.sseboot.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where drains run by default. Drains may block on a slow client's socket, so they get threads of their own, never
 * the application's: virtual threads on JDK 21 and later, otherwise a cached pool of daemon threads that end after a
 * minute idle (so an idle connection holds no thread).
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

	/** A new cached pool of named daemon platform threads, which end after a minute idle. */
	public static ExecutorService createPlatform() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (runnable) -> {
			Thread thread = new Thread(runnable, "sse-drain-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return Executors.newCachedThreadPool(threads);
	}

	private static Method virtualPerTask() {
		try {
			return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}

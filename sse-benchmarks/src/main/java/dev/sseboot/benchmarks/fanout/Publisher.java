package dev.sseboot.benchmarks.fanout;

import java.util.concurrent.locks.LockSupport;

/**
 * Publishes on a schedule, from one thread: event {@code n} is due at {@code start + n / rate}; when the server falls
 * behind, overdue events go out at once, so latency measured from the due time shows it. The payload is
 * {@code "<seq> <dueNanos> <padding>"}: {@link System#nanoTime()} is CLOCK_MONOTONIC on Linux, shared by every
 * process on the machine, so the load client can compare it with its own clock.
 */
final class Publisher {

	private Publisher() {
	}

	static Thread start(Broadcast broadcast, int rate, int seconds, int bytes) {
		return start(broadcast, rate, seconds, bytes, 1);
	}

	/** As {@link #start(Broadcast, int, int, int)}, numbering the events from {@code first}. */
	static Thread start(Broadcast broadcast, int rate, int seconds, int bytes, long first) {
		Thread thread = new Thread(() -> run(broadcast, rate, seconds, bytes, first), "bench-publisher");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void run(Broadcast broadcast, int rate, int seconds, int bytes, long first) {
		long period = 1_000_000_000L / rate;
		long start = System.nanoTime() + 200_000_000L;
		long total = (long) rate * seconds;
		for (long n = 1; n <= total; n++) {
			long due = start + n * period;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			broadcast.send(payload(first + n - 1, due, bytes));
		}
	}

	static String payload(long seq, long due, int bytes) {
		StringBuilder text = new StringBuilder(bytes).append(seq).append(' ').append(due).append(' ');
		while (text.length() < bytes) {
			text.append('x');
		}
		return text.toString();
	}

}

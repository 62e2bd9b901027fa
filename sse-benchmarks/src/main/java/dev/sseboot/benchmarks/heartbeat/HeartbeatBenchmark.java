package dev.sseboot.benchmarks.heartbeat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.SseTransport;

/**
 * The heartbeat timer's own CPU at many idle streams, in process: N channels over transports that take every write
 * at once (so only sse-boot's work is measured), registered at an even pace over one interval as connections arrive
 * in life, kept alive by one {@link Heartbeat} ticking as the starter's does; then, for the measured seconds, the CPU
 * time of the timer thread alone (the drains that write the heartbeats run on a pool of their own), per tick and per
 * second, and the heartbeats written. Usage: {@code HeartbeatBenchmark <output-dir> [streams] [seconds]}.
 */
public final class HeartbeatBenchmark {

	private static final Duration INTERVAL = Duration.ofSeconds(15);

	private HeartbeatBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args[0]);
		int streams = (args.length > 1) ? Integer.parseInt(args[1]) : 20_000;
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 30;
		AtomicLong written = new AtomicLong();
		ExecutorService drains = Executors.newFixedThreadPool(2);
		Duration tick = Heartbeat.tickFor(INTERVAL);
		List<DefaultEventChannel> channels = new ArrayList<>(streams);
		try (Heartbeat heartbeat = Heartbeat.start(tick)) {
			long spacing = INTERVAL.toNanos() / streams;
			long next = System.nanoTime();
			for (int i = 0; i < streams; i++) {
				DefaultEventChannel channel = DefaultEventChannel.builder(new CountingTransport(written))
					.executor(drains).heartbeat(heartbeat, INTERVAL).build();
				channel.start();
				channels.add(channel);
				next += spacing;
				LockSupport.parkNanos(next - System.nanoTime());
			}
			Thread timer = timerThread();
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			long cpuBefore = threads.getThreadCpuTime(timer.getId());
			long writtenBefore = written.get();
			TimeUnit.SECONDS.sleep(seconds);
			long cpu = threads.getThreadCpuTime(timer.getId()) - cpuBefore;
			long beats = written.get() - writtenBefore;
			double ticks = seconds * 1e9 / tick.toNanos();
			String result = String.format(Locale.ROOT,
					"%,d idle streams, interval %s, tick %s, %d s: timer CPU %.1f µs per tick, %.3f%% of one core; "
							+ "%,.0f heartbeats a second (%s, %d cores, JDK %s)%n",
					streams, INTERVAL, tick, seconds, cpu / ticks / 1e3, 100.0 * cpu / (seconds * 1e9),
					beats / (double) seconds, LocalDate.now(), Runtime.getRuntime().availableProcessors(),
					Runtime.version().feature());
			System.out.print(result);
			Files.createDirectories(out);
			Files.writeString(out.resolve("heartbeat.md"), result);
		}
		finally {
			channels.forEach(DefaultEventChannel::close);
			drains.shutdownNow();
		}
	}

	private static Thread timerThread() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("sse-heartbeat"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no sse-heartbeat thread"));
	}

	/** Takes every write at once and counts it. */
	private static final class CountingTransport implements SseTransport {

		private final AtomicLong written;

		CountingTransport(AtomicLong written) {
			this.written = written;
		}

		@Override
		public void write(byte[] bytes) {
			this.written.incrementAndGet();
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}

package dev.sseboot.benchmarks.topics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.management.OperatingSystemMXBean;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseTransport;

/**
 * One stream on many topics against one stream per topic, in process (no sockets: each client is a channel over a
 * transport that counts bytes and events and is always ready, so what is measured is sse-boot's own work), in the
 * same run:
 * <ul>
 * <li><b>many</b>: each client one channel on {@code topics} topics ({@code Broadcaster.subscribe(topics, ...)}),
 * every event with the id {@code <topic> <cursor>};</li>
 * <li><b>one per topic</b>: each client {@code topics} channels, one per topic (what a page does with one
 * {@code EventSource} per topic);</li>
 * </ul>
 * Each round publishes {@code events} short events round robin over the topics, in batches the buffers hold, to
 * {@code clients} clients, and waits until every client has every event. Reported: bytes on the wire per delivered
 * event, and the process's CPU time per delivered event (median of the rounds after two warm-up rounds), with the
 * ratio to one stream per topic. Bounded by its arguments, under a minute at the defaults.
 * <p>
 * Usage: {@code ManyTopicsBenchmark <results dir> [clients=200] [topics=5] [events=20000] [rounds=5]}.
 */
public final class ManyTopicsBenchmark {

	private static final ChannelSettings SETTINGS = new ChannelSettings(4096, OverflowPolicy.BLOCK,
			Duration.ofSeconds(30));

	private static final int BATCH = 1_000;

	private ManyTopicsBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path results = Path.of(args[0]);
		int clients = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
		int topics = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		int events = (args.length > 3) ? Integer.parseInt(args[3]) : 20_000;
		int rounds = (args.length > 4) ? Integer.parseInt(args[4]) : 5;
		List<String> names = new ArrayList<>();
		for (int i = 0; i < topics; i++) {
			names.add("dashboard.topic-" + i);
		}
		StringBuilder report = new StringBuilder();
		report.append("<!-- ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ").append(System.getProperty("java.version"))
			.append(": bash sse-benchmarks/run-topics.sh ").append(clients).append(' ').append(topics).append(' ')
			.append(events).append(' ').append(rounds).append(" -->\n");
		report.append("# ").append(topics).append(" topics to ").append(clients).append(" clients, ").append(events)
			.append(" events a round, in process\n\n");
		report.append("| way | bytes per event | CPU per delivered event | vs one per topic (bytes, CPU) |\n")
			.append("|---|---|---|---|\n");
		double[] single = { 1, 1 };
		for (boolean many : new boolean[] { false, true }) {
			for (int i = 0; i < 2; i++) {
				round(many, clients, names, events);
			}
			double[] cpu = new double[rounds];
			double bytes = 0;
			for (int i = 0; i < rounds; i++) {
				double[] measured = round(many, clients, names, events);
				bytes = measured[0];
				cpu[i] = measured[1];
			}
			Arrays.sort(cpu);
			double[] figures = { bytes, cpu[rounds / 2] };
			if (!many) {
				single = figures;
			}
			String name = many ? "many (one stream)" : "one stream per topic";
			report.append(String.format("| %s | %.1f | %.0f ns | %.2fx, %.2fx |%n", name, figures[0], figures[1],
					figures[0] / single[0], figures[1] / single[1]));
			System.out.printf("%s: %.1f bytes/event, %.0f ns CPU/event%n", name, figures[0], figures[1]);
		}
		Files.createDirectories(results);
		Files.writeString(results.resolve("topics.md"), report.toString());
		System.out.println(report);
		System.exit(0);
	}

	/** One round; returns bytes per delivered event and CPU nanoseconds per delivered event. */
	private static double[] round(boolean many, int clients, List<String> topics, int events)
			throws InterruptedException {
		Broadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 10);
		List<CountingTransport> transports = new ArrayList<>();
		List<DefaultEventChannel> channels = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			if (many) {
				channels.add(open(transports));
				broadcaster.subscribe(topics, channels.get(channels.size() - 1), null);
			}
			else {
				for (String topic : topics) {
					channels.add(open(transports));
					broadcaster.subscribe(topic, channels.get(channels.size() - 1), null);
				}
			}
		}
		long bytesBefore = transports.stream().mapToLong((t) -> t.bytes).sum();
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpuBefore = os.getProcessCpuTime();
		long expected = (long) clients * events;
		for (int sent = 0; sent < events;) {
			int batch = Math.min(BATCH, events - sent);
			for (int i = 0; i < batch; i++, sent++) {
				broadcaster.publish(topics.get(sent % topics.size()), "v=" + sent);
			}
			long target = (long) clients * sent;
			awaitDelivered(transports, target);
		}
		long cpu = os.getProcessCpuTime() - cpuBefore;
		long bytes = transports.stream().mapToLong((t) -> t.bytes).sum() - bytesBefore;
		CountDownLatch closed = new CountDownLatch(channels.size());
		for (DefaultEventChannel channel : channels) {
			channel.onClose((reason) -> closed.countDown());
			channel.close();
		}
		if (!closed.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("channels did not close within 60 s");
		}
		return new double[] { (double) bytes / expected, (double) cpu / expected };
	}

	private static DefaultEventChannel open(List<CountingTransport> transports) {
		CountingTransport transport = new CountingTransport();
		transports.add(transport);
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).settings(SETTINGS).build();
		channel.start();
		return channel;
	}

	private static void awaitDelivered(List<CountingTransport> transports, long target) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (transports.stream().mapToLong((t) -> t.events).sum() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("events were not delivered within 120 s");
			}
			LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
		}
	}

	/** Always ready; counts bytes and events (their "data:" lines). */
	private static final class CountingTransport implements SseTransport {

		private volatile long bytes;

		private volatile long events;

		@Override
		public void write(byte[] written) throws IOException {
			long count = 0;
			for (int i = 0; i + 5 < written.length; i++) {
				if (written[i] == 'd' && written[i + 1] == 'a' && written[i + 2] == 't' && written[i + 3] == 'a'
						&& written[i + 4] == ':' && (i == 0 || written[i - 1] == '\n')) {
					count++;
				}
			}
			this.bytes += written.length;
			this.events += count;
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}

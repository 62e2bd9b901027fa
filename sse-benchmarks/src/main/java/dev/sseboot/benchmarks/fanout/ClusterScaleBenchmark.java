package dev.sseboot.benchmarks.fanout;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a user who outgrows one instance runs: {@code instances} sse-boot instances on Jetty, on one redis-server, all
 * on 127.0.0.1, with {@code streams} idle streams spread evenly over them, opened by one {@link ScaleClient} process
 * per instance (each from its own loopback source address, at most 19,000 connections: one process may hold 20,000
 * open files here). Measures the time to open every stream (from the clients' start to every instance counting its
 * share), live heap and RSS per stream over all instances (from {@code jcmd GC.class_histogram} after a full GC, above
 * each instance's own before any stream), idle CPU of the instances and of Redis over 30 s (heartbeats only, every
 * 15 s), then one broadcast per second for 30 s, published on the first instance and carried by Redis to all: events
 * delivered (expected: every one) and p50/p99/max from publish to receipt over every stream. Bounded in connections
 * and time; Redis, the instances and the clients are stopped by their PIDs. Usage:
 * {@code ClusterScaleBenchmark <classpath> <output-dir> <streams> <instances>}; with {@code BENCH_JFR=1} each instance
 * records a JFR profile in {@code target/}.
 */
public final class ClusterScaleBenchmark {

	private static final long CLK_TCK = 100;

	private static final int REDIS_PORT = 18_795;

	private static final int FIRST_PORT = 18_810;

	private static final int MAX_PER_CLIENT = 19_000;

	private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda\\$?[0-9]*/0x[0-9a-f]+");

	private static final int IDLE_SECONDS = 30;

	private static final int BROADCASTS = 30;

	private final String classpath;

	private final List<Process> servers = new ArrayList<>();

	private final List<Process> clients = new ArrayList<>();

	private ClusterScaleBenchmark(String classpath) {
		this.classpath = classpath;
	}

	public static void main(String[] args) throws Exception {
		int streams = Integer.parseInt(args[2]);
		int instances = Integer.parseInt(args[3]);
		int perInstance = (streams + instances - 1) / instances;
		if (perInstance > MAX_PER_CLIENT || instances < 1 || instances > 20) {
			throw new IllegalArgumentException("1 to 20 instances of at most " + MAX_PER_CLIENT
					+ " streams each (one load client per instance); asked " + instances + " for " + streams);
		}
		String report = new ClusterScaleBenchmark(args[0]).run(streams, instances);
		Path out = Path.of(args[1]);
		Files.createDirectories(out);
		Files.writeString(out.resolve("scale-cluster.md"), report);
		System.out.println(report);
	}

	private String run(int streams, int instances) throws Exception {
		Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(REDIS_PORT), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
			.redirectOutput(new File("target/cluster-redis.log"))
			.start();
		try {
			return measure(redis.pid(), streams, instances);
		}
		finally {
			for (Process client : this.clients) {
				FanOutBenchmark.stop(client);
			}
			for (Process server : this.servers) {
				FanOutBenchmark.stop(server);
			}
			FanOutBenchmark.stop(redis);
		}
	}

	private String measure(long redis, int streams, int instances) throws Exception {
		int[] shares = new int[instances];
		for (int i = 0; i < instances; i++) {
			shares[i] = streams / instances + ((i < streams % instances) ? 1 : 0);
			startServer(i, shares[i]);
		}
		for (int i = 0; i < instances; i++) {
			FanOutBenchmark.awaitReady(FIRST_PORT + i);
		}
		Map<String, long[]> before = histograms();
		long rssBefore = rssKb();
		System.out.printf("%d instances ready; opening %,d streams%n", instances, streams);
		long start = System.nanoTime();
		List<BufferedWriter> commands = new ArrayList<>();
		List<BufferedReader> answers = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			Process client = new ProcessBuilder(FanOutBenchmark.javaBin(), "-Xmx512m", "-cp", this.classpath,
					ScaleClient.class.getName(), String.valueOf(FIRST_PORT + i), String.valueOf(shares[i]),
					"127.0.1." + (i + 1), samplesFile(i).toString())
				.redirectError(new File("target/cluster-client-" + i + ".log"))
				.start();
			this.clients.add(client);
			commands.add(new BufferedWriter(new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)));
			answers.add(new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8)));
		}
		int open = awaitStreams(streams, instances);
		double openSeconds = (System.nanoTime() - start) / 1e9;
		if (open < streams) {
			throw new IllegalStateException("only " + open + " of " + streams + " streams opened in 5 minutes");
		}
		Map<String, long[]> after = histograms();
		long heap = ScaleBenchmark.total(after) - ScaleBenchmark.total(before);
		long rss = rssKb() - rssBefore;
		System.out.printf(Locale.ROOT, "open %.1f s; heap %,d B/stream; rss %,d B/stream%n", openSeconds,
				heap / streams, rss * 1024 / streams);
		long[] cpu = cpuTicks(redis);
		TimeUnit.SECONDS.sleep(IDLE_SECONDS);
		long[] cpuIdle = cpuTicks(redis);
		FanOutBenchmark.post(FIRST_PORT, "/bench/run?rate=1&seconds=" + BROADCASTS + "&bytes=64");
		TimeUnit.SECONDS.sleep(BROADCASTS);
		long[] delivered = new long[6];
		for (int i = 0; i < instances; i++) {
			commands.get(i).write("deliver " + BROADCASTS + "\n");
			commands.get(i).flush();
		}
		for (int i = 0; i < instances; i++) {
			String answer = awaitAnswer(answers.get(i), "result ");
			String[] fields = answer.split(" ");
			for (int f = 0; f < delivered.length; f++) {
				delivered[f] += Long.parseLong(fields[f + 1]);
			}
		}
		long[] cpuLoad = cpuTicks(redis);
		int[] latencies = latencies(instances);
		return report(streams, instances, openSeconds, heap, rss, cpu, cpuIdle, cpuLoad, delivered, latencies,
				ScaleBenchmark.byGroup(before, after, streams), ScaleBenchmark.top(before, after, streams));
	}

	private void startServer(int index, int share) throws IOException {
		List<String> command = new ArrayList<>(List.of(FanOutBenchmark.javaBin(), "-Xmx1g", "-XX:+UseG1GC",
				FanOutBenchmark.FIXED_JIT_THREADS, "-cp",
				this.classpath, JettySseBootServer.class.getName(), "--server.port=" + (FIRST_PORT + index),
				"--sse.redis.enabled=true", "--spring.data.redis.port=" + REDIS_PORT,
				"--sse.max-connections=" + (share + 1_000), "--sse.heartbeat.interval=15s",
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		String logName = "cluster-instance-" + index;
		FanOutBenchmark.profileIfAsked(command, logName);
		this.servers.add(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(new File("target/" + logName + ".log"))
			.start());
	}

	private static Path samplesFile(int index) {
		return Path.of("target", "cluster-client-" + index + ".latencies");
	}

	/** Waits until the instances together count {@code streams} streams (5 minutes at most); returns the count. */
	private int awaitStreams(int streams, int instances) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		long report = System.nanoTime();
		int open = 0;
		while (System.nanoTime() < deadline) {
			open = 0;
			for (int i = 0; i < instances; i++) {
				open += FanOutBenchmark.clients(FIRST_PORT + i);
			}
			if (open >= streams) {
				return open;
			}
			if (System.nanoTime() - report > TimeUnit.SECONDS.toNanos(10)) {
				System.out.printf("  %,d open%n", open);
				report = System.nanoTime();
			}
			TimeUnit.MILLISECONDS.sleep(200);
		}
		return open;
	}

	private static String awaitAnswer(BufferedReader answers, String prefix) throws IOException {
		String line;
		while ((line = answers.readLine()) != null) {
			if (line.startsWith(prefix)) {
				return line;
			}
		}
		throw new IllegalStateException("a load client ended without " + prefix.trim() + "; see target/cluster-*.log");
	}

	/** The instances' histograms, summed type by type (a lambda's class is named differently in each JVM). */
	private Map<String, long[]> histograms() throws Exception {
		Map<String, long[]> sum = new HashMap<>();
		for (Process server : this.servers) {
			ScaleBenchmark.histogram(server.pid())
				.forEach((type, counts) -> sum.merge(LAMBDA.matcher(type).replaceAll("\\$\\$Lambda"), counts.clone(),
						(a, b) -> new long[] { a[0] + b[0], a[1] + b[1] }));
		}
		return sum;
	}

	private long rssKb() throws IOException {
		long sum = 0;
		for (Process server : this.servers) {
			sum += FanOutBenchmark.rssKb(server.pid());
		}
		return sum;
	}

	/** CPU ticks so far: the instances' together (without their JIT compilers), then Redis's. */
	private long[] cpuTicks(long redis) throws IOException {
		long sum = 0;
		for (Process server : this.servers) {
			sum += ProcessTicks.cpuTicksWithoutJit(server.pid());
		}
		return new long[] { sum, ProcessTicks.cpuTicks(redis) };
	}

	private static int[] latencies(int instances) throws IOException {
		int[] all = new int[0];
		for (int i = 0; i < instances; i++) {
			Path file = samplesFile(i);
			int count = (int) (Files.size(file) / 4);
			int from = all.length;
			all = Arrays.copyOf(all, from + count);
			try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
				for (int n = 0; n < count; n++) {
					all[from + n] = in.readInt();
				}
			}
		}
		Arrays.sort(all);
		return all;
	}

	private static String report(int streams, int instances, double openSeconds, long heap, long rssKb, long[] cpu,
			long[] idle, long[] load, long[] delivered, int[] latencies, Map<String, Double> byGroup,
			List<String> top) {
		double idleServers = (idle[0] - cpu[0]) / (double) CLK_TCK / IDLE_SECONDS;
		double idleRedis = (idle[1] - cpu[1]) / (double) CLK_TCK / IDLE_SECONDS;
		double loadServers = (load[0] - idle[0]) / (double) CLK_TCK;
		double loadRedis = (load[1] - idle[1]) / (double) CLK_TCK;
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT, "# %,d streams on %d sse-boot instances (Jetty) and one redis-server%n%n",
				streams, instances));
		md.append(String.format(Locale.ROOT, "Measured %s on %d cores, %s; loopback only; one load-client process per "
				+ "instance.%n%n", FanOutBenchmark.today(), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
		md.append("| measure | value |\n|---|---:|\n");
		row(md, "time to open every stream", String.format(Locale.ROOT, "%.1f s", openSeconds));
		row(md, "heap per stream (all instances)", String.format(Locale.ROOT, "%,d B", heap / streams));
		row(md, "RSS per stream (all instances)", String.format(Locale.ROOT, "%,d B", rssKb * 1024 / streams));
		row(md, "idle CPU, instances together (" + IDLE_SECONDS + " s, heartbeats every 15 s)",
				String.format(Locale.ROOT, "%.1f%% of one core", 100 * idleServers));
		row(md, "idle CPU, redis-server", String.format(Locale.ROOT, "%.1f%% of one core", 100 * idleRedis));
		row(md, "broadcasts (1/s to every stream)", String.valueOf(BROADCASTS));
		row(md, "events delivered", String.format(Locale.ROOT, "%,d of %,d (%.3f%%)", delivered[1], delivered[2],
				100.0 * delivered[1] / Math.max(1, delivered[2])));
		row(md, "lost, duplicated, streams ended by a server",
				delivered[3] + ", " + delivered[4] + ", " + delivered[5]);
		row(md, "publish to receipt p50 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms",
				LoadClient.percentile(latencies, 0.50), LoadClient.percentile(latencies, 0.99),
				(latencies.length > 0) ? latencies[latencies.length - 1] / 1000.0 : 0));
		row(md, "CPU for the broadcasts (from their start to the last receipt): instances, Redis",
				String.format(Locale.ROOT, "%.1f s, %.1f s", loadServers, loadRedis));
		md.append("\nHeap per stream by owner: ").append(byGroup).append("\n\nTypes that grew most per stream: ")
			.append(String.join(", ", top)).append('\n');
		return md.toString();
	}

	private static void row(StringBuilder md, String measure, String value) {
		md.append("| ").append(measure).append(" | ").append(value).append(" |\n");
	}

}

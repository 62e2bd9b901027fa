package dev.sseboot.benchmarks.fanout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * The Redis mode's costs: two sse-boot instances on one real Redis on 127.0.0.1, clients on B, events published on
 * A. Measures B's and Redis's CPU and Redis's commands per second while idle (streams open, nothing published), and
 * delivery latency across Redis with one topic and with 10,000 topics (one stream each). Run it against two builds
 * to compare them (see {@code run-redis.sh}). Usage: {@code RedisBenchmark <classpath> <output-file> <label> [quick]}.
 * Every run is bounded in connections and time; Redis and both instances are stopped by their PIDs.
 */
public final class RedisBenchmark {

	private static final long CLK_TCK = 100;

	private static final int REDIS_PORT = 18_790;

	private static final int PORT_A = 18_780;

	private static final int PORT_B = 18_781;

	private final String classpath;

	private final boolean quick;

	private final List<String> rows = new ArrayList<>();

	private RedisBenchmark(String classpath, boolean quick) {
		this.classpath = classpath;
		this.quick = quick;
	}

	public static void main(String[] args) throws Exception {
		RedisBenchmark benchmark = new RedisBenchmark(args[0], args.length > 3 && args[3].equals("quick"));
		benchmark.runAll();
		String table = "| " + args[2] + " | idle or load | B CPU | Redis CPU | Redis commands/s | delivered | p50 "
				+ "| p99 |\n" + "|---|---|---|---|---|---|---|---|\n" + String.join("\n", benchmark.rows) + "\n";
		Files.writeString(Path.of(args[1]), table);
		System.out.println(table);
	}

	private void runAll() throws Exception {
		Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(REDIS_PORT), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
			.redirectOutput(new File("target/redis-bench.log"))
			.start();
		List<Process> instances = new ArrayList<>();
		try {
			for (int port : new int[] { PORT_A, PORT_B }) {
				instances.add(new ProcessBuilder(FanOutBenchmark.javaBin(), "-Xmx2g", "-cp", this.classpath,
						SseBootServer.class.getName(), "--server.port=" + port, "--sse.redis.enabled=true",
						"--spring.data.redis.port=" + REDIS_PORT, "--sse.max-connections=20000",
						"--server.tomcat.max-connections=20000", "--server.tomcat.accept-count=2000",
						"--sse.heartbeat.interval=15s", "--spring.main.banner-mode=off", "--logging.level.root=WARN")
					.redirectErrorStream(true)
					.redirectOutput(new File("target/sse-boot-redis-bench-" + port + ".log"))
					.start());
			}
			FanOutBenchmark.awaitReady(PORT_A);
			FanOutBenchmark.awaitReady(PORT_B);
			long b = instances.get(1).pid();
			int seconds = this.quick ? 8 : 20;
			idle(b, redis.pid(), "no streams", seconds);
			try (LoadClient client = open(1000, (i) -> "/stream")) {
				idle(b, redis.pid(), "1,000 streams, 1 topic", seconds);
				load(client, b, redis.pid(), "1,000 streams, 1 topic, 100/s", "/bench/run?rate=100&seconds=" + seconds
						+ "&bytes=128", 100L * seconds, seconds);
			}
			awaitClients(0);
			int topics = 10_000;
			try (LoadClient client = open(topics, (i) -> "/topics/t" + i)) {
				idle(b, redis.pid(), "10,000 streams, 10,000 topics", seconds);
				// 1,000 events/s over 10,000 topics: each stream gets one event every 10 s, so a run is long enough
				// for every stream to get several
				int rate = 1000;
				int long_ = this.quick ? 20 : 40;
				load(client, b, redis.pid(), "10,000 streams, 10,000 topics, 1,000/s round robin",
						"/bench/topics?rate=" + rate + "&seconds=" + long_ + "&bytes=128&topics=" + topics,
						(long) rate * long_ / topics, long_);
			}
		}
		finally {
			for (Process process : instances) {
				FanOutBenchmark.stop(process);
			}
			FanOutBenchmark.stop(redis);
		}
	}

	private LoadClient open(int count, IntFunction<String> path) throws Exception {
		LoadClient client = LoadClient.connect(PORT_B, path, count, Duration.ofSeconds(120));
		awaitClients(count);
		return client;
	}

	private void awaitClients(int count) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (FanOutBenchmark.clients(PORT_B) != count && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
	}

	private void idle(long b, long redis, String what, int seconds) throws Exception {
		long commands = commandsProcessed();
		long cpuB = ProcessTicks.cpuTicks(b);
		long cpuRedis = ProcessTicks.cpuTicks(redis);
		TimeUnit.SECONDS.sleep(seconds);
		row(what, "idle " + seconds + " s", (ProcessTicks.cpuTicks(b) - cpuB) / (double) CLK_TCK / seconds,
				(ProcessTicks.cpuTicks(redis) - cpuRedis) / (double) CLK_TCK / seconds,
				(commandsProcessed() - commands) / (double) seconds, null);
	}

	private void load(LoadClient client, long b, long redis, String what, String run, long expectedPerConnection,
			int seconds) throws Exception {
		long commands = commandsProcessed();
		long cpuB = ProcessTicks.cpuTicks(b);
		long cpuRedis = ProcessTicks.cpuTicks(redis);
		FanOutBenchmark.post(PORT_A, run);
		TimeUnit.SECONDS.sleep(seconds);
		client.awaitDelivery(expectedPerConnection, Duration.ofSeconds(3), Duration.ofSeconds(seconds + 30L));
		row(what, "load " + seconds + " s", (ProcessTicks.cpuTicks(b) - cpuB) / (double) CLK_TCK / seconds,
				(ProcessTicks.cpuTicks(redis) - cpuRedis) / (double) CLK_TCK / seconds,
				(commandsProcessed() - commands) / (double) seconds, client.result(expectedPerConnection));
	}

	private void row(String what, String kind, double cpuB, double cpuRedis, double commands,
			LoadClient.@Nullable Result result) {
		String row = String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% | %.0f | %s | %s | %s |", what, kind,
				100 * cpuB, 100 * cpuRedis, commands,
				(result == null) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * result.deliveredRatio()),
				(result == null) ? "" : String.format(Locale.ROOT, "%.1f ms", result.p50Millis()),
				(result == null) ? "" : String.format(Locale.ROOT, "%.1f ms", result.p99Millis()));
		System.out.println(row);
		this.rows.add(row);
	}

	private long commandsProcessed() throws Exception {
		Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(REDIS_PORT), "info", "stats")
			.redirectErrorStream(true)
			.start();
		String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		cli.waitFor(10, TimeUnit.SECONDS);
		for (String line : out.split("\r?\n")) {
			if (line.startsWith("total_commands_processed:")) {
				return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		throw new IllegalStateException("no total_commands_processed in: " + out);
	}

}

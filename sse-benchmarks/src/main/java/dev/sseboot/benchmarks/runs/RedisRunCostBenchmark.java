package dev.sseboot.benchmarks.runs;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.sseboot.core.InMemorySseRuns;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRunSharing;
import dev.sseboot.redis.SseRedis;
import reactor.core.publisher.Flux;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What a run's events cost in Redis (the Redis mode of {@code SseRuns}), on a redis-server it starts on 127.0.0.1
 * and stops: {@code runs} runs of {@code tokens} tokens each (6-character text tokens, as a model streams) started
 * at once, timed until every run's end is in Redis; then the Redis memory per token (the runs' streams by
 * {@code MEMORY USAGE}), the Redis commands per token ({@code INFO commandstats}, writes and wake-ups) and the
 * tokens per second into Redis. No client is attached: this is the owner's cost alone. Bounded by its arguments.
 * <p>
 * Usage: {@code RedisRunCostBenchmark <results dir> [runs=100] [tokens=2000]}.
 */
public final class RedisRunCostBenchmark {

	private static final RedisScript<Long> MEMORY_USAGE = RedisScript
		.of("return redis.call('MEMORY', 'USAGE', KEYS[1], 'SAMPLES', '0')", Long.class);

	private RedisRunCostBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path results = Path.of(args[0]);
		int runCount = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		int tokens = (args.length > 2) ? Integer.parseInt(args[2]) : 2_000;
		int port = freePort();
		Process redis = new ProcessBuilder(new File("/usr/bin/redis-server").getPath(), "--port", String.valueOf(port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		try {
			connections.afterPropertiesSet();
			connections.start();
			StringRedisTemplate template = new StringRedisTemplate(connections);
			awaitPing(template);
			SseRedis sseRedis = new SseRedis(template, connections, new SseEncoder(),
					new SseRedis.Settings(1000, 4_000_000, Duration.ofMinutes(10), Duration.ofSeconds(1)));
			SseRunSharing sharing = sseRedis.runSharing(template, connections, (data) -> String.valueOf(data),
					tokens + 10, Duration.ofMinutes(10), Duration.ofSeconds(6));
			SmartLifecycle threads = SseRedis.runsLifecycle(sharing);
			threads.start();
			InMemorySseRuns runs = new InMemorySseRuns(Duration.ofMinutes(5), Duration.ofMinutes(10), tokens + 10,
					sharing);
			template.execute((RedisCallback<Boolean>) (connection) -> {
				connection.serverCommands().resetConfigStats();
				return Boolean.TRUE;
			});
			long start = System.nanoTime();
			List<SseRun> started = new ArrayList<>();
			for (int r = 0; r < runCount; r++) {
				started.add(runs.start(Flux.range(0, tokens).map((i) -> " tok" + (i % 100))));
			}
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
			for (SseRun run : started) {
				String key = "sse:run:{" + run.id() + "}";
				while (template.opsForStream().size(key) < tokens + 2) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("run " + run.id() + " did not reach Redis in 5 minutes");
					}
					TimeUnit.MILLISECONDS.sleep(5);
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			long bytes = 0;
			for (SseRun run : started) {
				String key = "sse:run:{" + run.id() + "}";
				Long usage = template.execute(MEMORY_USAGE, List.of(key));
				bytes += (usage != null) ? usage : 0;
			}
			Properties stats = template
				.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
			long commands = 0;
			for (String name : stats.stringPropertyNames()) {
				String value = stats.getProperty(name);
				int at = value.indexOf("calls=");
				if (at >= 0 && !name.contains("memory") && !name.contains("info") && !name.contains("xlen")
						&& !name.contains("config")) {
					commands += Long.parseLong(value.substring(at + 6, value.indexOf(',', at)));
				}
			}
			long total = (long) runCount * tokens;
			threads.stop();
			String table = String.format("""
					<!-- %s, %d cores, Java %s: bash sse-benchmarks/run-runs.sh redis %d %d -->
					# A run's events in Redis: %d runs x %d tokens, started at once, no client attached

					| measure | value |
					|---|---|
					| tokens into Redis per second (all runs) | %,.0f |
					| Redis memory per token (the runs' streams, MEMORY USAGE) | %.1f bytes |
					| commands Redis executes per token (INFO commandstats: each XADD inside a script counts) | %.4f |
					""", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
					System.getProperty("java.version"), runCount, tokens, runCount, tokens, total / seconds,
					(double) bytes / total, (double) commands / total);
			System.out.print(table);
			Files.createDirectories(results);
			Files.writeString(results.resolve("runs-redis.md"), table);
		}
		finally {
			connections.destroy();
			redis.destroy();
			redis.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private static void awaitPing(StringRedisTemplate template) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			try {
				template.execute((RedisCallback<String>) (connection) -> connection.ping());
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}

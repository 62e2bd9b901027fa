package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Many idle streams on one server: for each server (sse-boot, hand-written {@code SseEmitter} code, WebFlux) and
 * each size N, in its own JVM on 127.0.0.1, opens N streams from several loopback source addresses, then measures
 * the time to open them, live heap after a full GC (from {@code jcmd GC.class_histogram}) once every stream has had
 * one event, above the server's own before any stream, divided by N, RSS divided by N, idle CPU (heartbeats only;
 * the JIT compilers' threads left out, as they may still compile what the opening made hot), threads, and p50/p99
 * of one broadcast per second to all; and which types hold the heap per stream (sse-boot's own, Spring's
 * {@code SseEmitter} and async machinery, the container's). Bounded in connections and time; every server is
 * stopped by its PID. Usage: {@code ScaleBenchmark <classpath> <output-dir> <sizes> [servers]}; with
 * {@code BENCH_JFR=1} in the environment each server records a JFR profile in {@code target/}.
 */
public final class ScaleBenchmark {

	private static final long CLK_TCK = 100;

	/** Streams per loopback source address (the ephemeral port range holds about 28,000). */
	private static final int PER_SOURCE = 20_000;

	record Server(String key, String mainClass, List<String> args) {
	}

	record Row(String server, int streams, double openSeconds, double heapPerStream, double rssPerStream,
			double idleCpu, int threads, double p50, double p99, double delivered, Map<String, Double> byGroup,
			List<String> topTypes) {
	}

	private final String classpath;

	private ScaleBenchmark(String classpath) {
		this.classpath = classpath;
	}

	public static void main(String[] args) throws Exception {
		ScaleBenchmark benchmark = new ScaleBenchmark(args[0]);
		Path out = Path.of(args[1]);
		List<Integer> sizes = new ArrayList<>();
		for (String size : args[2].split(",")) {
			sizes.add(Integer.parseInt(size.trim()));
		}
		List<String> only = (args.length > 3) ? List.of(args[3].split(",")) : List.of();
		List<Server> servers = List.of(
				new Server("sse-boot", SseBootServer.class.getName(), List.of("--sse.heartbeat.interval=15s")),
				new Server("sse-boot-jetty", JettySseBootServer.class.getName(),
						List.of("--sse.heartbeat.interval=15s")),
				// Tomcat's buffers shrunk: socket buffers 2 KB (8 KB), header buffers 2 KB and 4 KB (8 KB each)
				new Server("sse-boot-tomcat-small", SseBootServer.class.getName(),
						List.of("--sse.heartbeat.interval=15s", "--bench.tomcat-app-buffers=2048",
								"--server.tomcat.max-http-response-header-size=2KB",
								"--server.max-http-request-header-size=4KB")),
				new Server("hand-written", HandWrittenServer.class.getName(), List.of("--sse.enabled=false")),
				new Server("webflux", WebFluxServer.class.getName(), List.of()));
		List<Row> rows = new ArrayList<>();
		for (Server server : servers) {
			if (only.isEmpty() || only.contains(server.key())) {
				for (int size : sizes) {
					rows.add(benchmark.measure(server, size, 18_700 + rows.size()));
				}
			}
		}
		Files.createDirectories(out);
		String table = table(rows);
		Files.writeString(out.resolve("scale.md"), table);
		System.out.println(table);
	}

	private Row measure(Server server, int streams, int port) throws Exception {
		List<String> command = new ArrayList<>(List.of(FanOutBenchmark.javaBin(), "-Xmx6g", "-XX:+UseG1GC",
				FanOutBenchmark.FIXED_JIT_THREADS, "-cp",
				this.classpath, server.mainClass(), "--server.port=" + port,
				"--server.tomcat.max-connections=" + (streams + 2_000), "--server.tomcat.accept-count=4000",
				"--sse.max-connections=" + (streams + 1_000), "--spring.main.banner-mode=off",
				"--logging.level.root=WARN"));
		String logName = "scale-" + server.key() + "-" + streams;
		command.addAll(server.args());
		Process process = FanOutBenchmark.launch(command, logName);
		long pid = process.pid();
		System.out.printf("%n== %s, %,d streams (pid %d, port %d)%n", server.key(), streams, pid, port);
		try {
			FanOutBenchmark.awaitReady(port);
			Map<String, long[]> before = histogram(pid);
			long rssBefore = rssKb(pid);
			long start = System.nanoTime();
			int sources = (streams + PER_SOURCE - 1) / PER_SOURCE;
			try (LoadClient client = LoadClient.connect(port, (i) -> "/stream", streams, Duration.ofMinutes(5),
					sources)) {
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
				while (FanOutBenchmark.clients(port) < streams && System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(100);
				}
				double openSeconds = (System.nanoTime() - start) / 1e9;
				// one event to every stream before the heap is measured: hand-written SseEmitter code sends its
				// response head only with its first event, sse-boot at once, and the head's header objects are
				// about 300 B per header on Tomcat; an idle stream here is one that has had an event
				FanOutBenchmark.post(port, "/bench/run?rate=1&seconds=1&bytes=64");
				client.awaitDelivery(1, Duration.ofSeconds(5), Duration.ofSeconds(60));
				Map<String, long[]> after = histogram(pid);
				long heapDelta = total(after) - total(before);
				long rss = rssKb(pid);
				// idle: nothing published, heartbeats only (sse-boot's every 15 s), without the JIT compilers
				long cpu = ProcessTicks.cpuTicksWithoutJit(pid);
				int idleSeconds = 15;
				TimeUnit.SECONDS.sleep(idleSeconds);
				double idleCpu = (ProcessTicks.cpuTicksWithoutJit(pid) - cpu) / (double) CLK_TCK / idleSeconds;
				int threads = threads(pid);
				int broadcasts = 10;
				FanOutBenchmark.post(port, "/bench/run?rate=1&seconds=" + broadcasts + "&bytes=64&first=2");
				TimeUnit.SECONDS.sleep(broadcasts);
				client.awaitDelivery(1 + broadcasts, Duration.ofSeconds(5), Duration.ofSeconds(60));
				LoadClient.Result result = client.result(1 + broadcasts);
				Row row = new Row(server.key(), streams, openSeconds, heapDelta / (double) streams,
						(rss - rssBefore) * 1024.0 / streams, idleCpu, threads, result.p50Millis(), result.p99Millis(),
						result.deliveredRatio(), byGroup(before, after, streams), top(before, after, streams));
				System.out.printf(Locale.ROOT,
						"%s %,d: open %.1f s, heap %.0f B/stream, rss %.0f B/stream, idle cpu %.1f%%, %d threads, "
								+ "p50 %.1f ms, p99 %.1f ms, delivered %.2f%%%n  %s%n  %s%n",
						row.server(), streams, openSeconds, row.heapPerStream(), row.rssPerStream(), 100 * idleCpu,
						threads, row.p50(), row.p99(), 100 * row.delivered(), row.byGroup(), row.topTypes());
				return row;
			}
		}
		finally {
			FanOutBenchmark.stop(process);
		}
	}

	/** Live objects after a full GC: class name to {instances, bytes}; "" holds the total. */
	static Map<String, long[]> histogram(long pid) throws Exception {
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				String.valueOf(pid), "GC.class_histogram")
			.redirectErrorStream(true)
			.start();
		String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		jcmd.waitFor(60, TimeUnit.SECONDS);
		Map<String, long[]> classes = new HashMap<>();
		for (String line : out.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 4 && fields[0].endsWith(":")) {
				classes.put(fields[3], new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
			}
			else if (fields.length == 3 && fields[0].equals("Total")) {
				classes.put("", new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
			}
		}
		if (!classes.containsKey("")) {
			throw new IllegalStateException("no histogram from jcmd: " + out);
		}
		return classes;
	}

	static long total(Map<String, long[]> histogram) {
		return histogram.getOrDefault("", new long[2])[1];
	}

	private static long delta(Map<String, long[]> before, Map<String, long[]> after, String type) {
		long[] was = before.get(type);
		return after.getOrDefault(type, new long[2])[1] - ((was != null) ? was[1] : 0);
	}

	/** Bytes per stream, grouped: sse-boot's types, Spring's emitter and async request, the container's, the rest. */
	static Map<String, Double> byGroup(Map<String, long[]> before, Map<String, long[]> after, int streams) {
		Map<String, Double> groups = new LinkedHashMap<>();
		for (String group : List.of("sse-boot", "spring-mvc", "tomcat", "reactor-netty", "other")) {
			groups.put(group, 0.0);
		}
		for (String type : after.keySet()) {
			if (!type.isEmpty()) {
				groups.merge(group(type), delta(before, after, type) / (double) streams, Double::sum);
			}
		}
		groups.replaceAll((group, bytes) -> Math.rint(bytes));
		return groups;
	}

	private static String group(String type) {
		if (type.startsWith("dev.sseboot.")) {
			return "sse-boot";
		}
		if (type.startsWith("org.springframework.web.") || type.startsWith("org.springframework.http.")) {
			return "spring-mvc";
		}
		if (type.startsWith("org.apache.")) {
			return "tomcat";
		}
		if (type.startsWith("io.netty.") || type.startsWith("reactor.")) {
			return "reactor-netty";
		}
		return "other";
	}

	/**
	 * The fifteen types that grew most per stream, then every sse-boot type that grew by 8 B a stream or more: bytes
	 * and instances per stream.
	 */
	static List<String> top(Map<String, long[]> before, Map<String, long[]> after, int streams) {
		List<String> types = after.keySet()
			.stream()
			.filter((type) -> !type.isEmpty())
			.sorted((a, b) -> Long.compare(delta(before, after, b), delta(before, after, a)))
			.toList();
		List<String> out = new ArrayList<>();
		for (String type : types) {
			double bytes = delta(before, after, type) / (double) streams;
			if (out.size() < 15 || (type.startsWith("dev.sseboot.") && bytes >= 8)) {
				long[] was = before.getOrDefault(type, new long[2]);
				double instances = (after.getOrDefault(type, new long[2])[0] - was[0]) / (double) streams;
				out.add(String.format(Locale.ROOT, "%s %.0f B (%.2f)", type, bytes, instances));
			}
		}
		return out;
	}

	private static String table(List<Row> rows) {
		StringBuilder out = new StringBuilder("| server | streams | open | heap per stream | RSS per stream | idle CPU "
				+ "| threads | broadcast p50 | p99 | delivered | heap per stream by owner |\n"
				+ "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
		for (Row row : rows) {
			out.append(String.format(Locale.ROOT,
					"| %s | %,d | %.1f s | %,.0f B | %,.0f B | %.1f%% | %d | %.1f ms | %.1f ms | %.2f%% | %s |%n",
					row.server(), row.streams(), row.openSeconds(), row.heapPerStream(), row.rssPerStream(),
					100 * row.idleCpu(), row.threads(), row.p50(), row.p99(), 100 * row.delivered(), row.byGroup()));
		}
		out.append("\nTypes that grew most per stream:\n\n");
		for (Row row : rows) {
			out.append("- ").append(row.server()).append(' ').append(String.format(Locale.ROOT, "%,d", row.streams()))
				.append(": ").append(String.join(", ", row.topTypes())).append('\n');
		}
		out.append("\n(").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
			.append(FanOutBenchmark.today()).append(")\n");
		return out.toString();
	}

	private static long rssKb(long pid) throws IOException {
		return FanOutBenchmark.rssKb(pid);
	}

	private static int threads(long pid) throws IOException {
		return FanOutBenchmark.threads(pid);
	}

}

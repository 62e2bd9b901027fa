package dev.sseboot.benchmarks.fanout;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fan-out scenarios against the three servers, in turns, each in its own JVM on 127.0.0.1, and writes a
 * Markdown and a JSON table with ratios. Every run is bounded in connections, events and time, and every server is
 * stopped by its PID. Usage: {@code FanOutBenchmark <classpath> <output-dir> [quick]}.
 */
public final class FanOutBenchmark {

	private static final int BYTES = 128;

	private static final long CLK_TCK = 100;

	record Server(String key, String label, String mainClass, List<String> args) {
	}

	record Run(String server, String scenario, int connections, int rate, int seconds, LoadClient.Result result,
			double cpuSeconds, long rssKb, long rssBeforeKb) {

		double cpuPerMillion() {
			return (this.result.delivered() == 0) ? Double.NaN : this.cpuSeconds / (this.result.delivered() / 1e6);
		}

		boolean keptUp() {
			return this.result.deliveredRatio() >= 0.99 && this.result.p99Millis() < 100;
		}

	}

	/**
	 * One run with clients that never read beside healthy ones: what the healthy ones got, how long the server kept
	 * the stalled ones (empty: still open when the run ended), how many of their sockets it had closed, its threads.
	 */
	record StallRun(String server, int healthy, int stalled, int rate, int bytes, int seconds, LoadClient.Result result,
			Optional<Duration> stalledHeldFor, int socketsClosed, int threads) {
	}

	private static final int STALL_BYTES = 512;

	private static final int STALL_SEND_BUFFER = 64 * 1024;

	private final String classpath;

	private final boolean quick;

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** A server's JVM option: compiler threads that never end, for {@link ProcessTicks#cpuTicksWithoutJit}. */
	static final String FIXED_JIT_THREADS = "-XX:-UseDynamicNumberOfCompilerThreads";

	private FanOutBenchmark(String classpath, boolean quick) {
		this.classpath = classpath;
		this.quick = quick;
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args[1]);
		boolean quick = args.length > 2 && args[2].equals("quick");
		List<Server> servers = List.of(
				new Server("sse-boot", "(a) sse-boot Broadcaster topic", SseBootServer.class.getName(),
						List.of("--sse.max-connections=20000", "--sse.heartbeat.interval=15s")),
				new Server("hand-written", "(b) hand-written SseEmitter list + send loop",
						HandWrittenServer.class.getName(), List.of("--sse.enabled=false")),
				new Server("webflux", "(c) WebFlux multicast sink + Flux<ServerSentEvent>",
				WebFluxServer.class.getName(),
						List.of()));
		FanOutBenchmark benchmark = new FanOutBenchmark(args[0], quick);
		List<Run> runs = new ArrayList<>();
		List<StallRun> stallRuns = new ArrayList<>();
		Map<String, Integer> highest = new LinkedHashMap<>();
		String only = (args.length > 3) ? args[3] : "";
		for (Server server : servers) {
			if (only.isEmpty() || List.of(only.split(",")).contains(server.key())) {
				if (!"stalled".equals(System.getenv("BENCH_SCENARIOS"))) {
					benchmark.measure(server, runs, highest);
				}
				stallRuns.add(benchmark.measureStalled(server, 18_600 + stallRuns.size()));
			}
		}
		if ((only.isEmpty() || only.contains("redis")) && new File("/usr/bin/redis-server").canExecute()
				&& !"stalled".equals(System.getenv("BENCH_SCENARIOS"))) {
			benchmark.measureAcrossRedis(runs);
		}
		Files.createDirectories(out);
		Report.write(out, runs, stallRuns, highest, quick);
		System.out.println(Files.readString(out.resolve("fanout.md")));
	}

	private Process startServer(Server server, int port, String logName, String... more) throws IOException {
		List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx2g", "-XX:+UseG1GC", FIXED_JIT_THREADS, "-cp",
				this.classpath,
				server.mainClass(), "--server.port=" + port, "--server.tomcat.max-connections=20000",
				"--server.tomcat.accept-count=2000", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		String extra = System.getenv("BENCH_SERVER_ARGS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		command.addAll(server.args());
		command.addAll(List.of(more));
		Process process = launch(command, logName);
		System.out.printf("%n== %s (pid %d, port %d)%n", server.label(), process.pid(), port);
		return process;
	}

	/**
	 * Starts the server {@code command} describes, its output in {@code target/<logName>.log}, profiled when asked
	 * ({@link #profileIfAsked}).
	 */
	static Process launch(List<String> command, String logName) throws IOException {
		profileIfAsked(command, logName);
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(new File("target/" + logName + ".log"))
			.start();
	}

	/**
	 * With {@code BENCH_JFR} set, has the server {@code command} starts record a JFR profile of its whole run in
	 * {@code target/<logName>.jfr} (read it with {@code jfr print --events jdk.ExecutionSample}).
	 */
	static void profileIfAsked(List<String> command, String logName) {
		if (System.getenv("BENCH_JFR") != null) {
			command.add(1, "-XX:StartFlightRecording=filename=target/" + logName + ".jfr,settings=profile");
		}
	}

	private void measure(Server server, List<Run> runs, Map<String, Integer> highest) throws Exception {
		int port = 18_500 + runs.size();
		Process process = startServer(server, port, server.key());
		long pid = process.pid();
		try {
			awaitReady(port);
			int seconds = this.quick ? 8 : 20;
			runs.add(run(server, pid, port, "1,000 connections x 100/s", 1000, 100, seconds));
			runs.add(run(server, pid, port, "10,000 connections x 1/s", this.quick ? 2000 : 10_000, 1, seconds));
			int best = 0;
			for (int rate : new int[] { 50, 100, 200, 300, 400, 600, 800, 1000, 1500, 2000 }) {
				Run step = run(server, pid, port, "search 1,000 connections", 1000, rate, this.quick ? 5 : 8);
				runs.add(step);
				if (!step.keptUp()) {
					break;
				}
				best = rate;
			}
			highest.put(server.key(), best);
		}
		finally {
			stop(process);
		}
	}

	/**
	 * 1,000 healthy clients at 100 broadcasts/s beside 100 that never read, in a server of its own whose sockets'
	 * send buffer is fixed (see {@link BenchSocketOptions}) so that the stalled ones fill within the run. Events of
	 * 512 bytes: a stalled client then holds up its server within seconds, not minutes.
	 */
	private StallRun measureStalled(Server server, int port) throws Exception {
		int healthy = 1000;
		int stalled = 100;
		int rate = 100;
		int seconds = this.quick ? 12 : 20;
		Process process = startServer(server, port, server.key() + "-stalled", "--bench.send-buffer="
				+ STALL_SEND_BUFFER);
		long pid = process.pid();
		try (LoadClient client = connectWhenReady(port, healthy)) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (clients(port) < healthy && System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(50);
			}
			try (StalledClients stalledClients = StalledClients.open(port, "/stream", stalled)) {
				while (clients(port) < healthy + stalled && System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(50);
				}
				post(port, "/bench/run?rate=" + rate + "&seconds=" + seconds + "&bytes=" + STALL_BYTES);
				long start = System.nanoTime();
				Optional<Duration> heldFor = Optional.empty();
				long runEnd = start + TimeUnit.SECONDS.toNanos(seconds);
				while (System.nanoTime() < runEnd) {
					if (heldFor.isEmpty() && clients(port) <= healthy) {
						heldFor = Optional.of(Duration.ofNanos(System.nanoTime() - start));
					}
					TimeUnit.MILLISECONDS.sleep(200);
				}
				client.awaitDelivery((long) rate * seconds, Duration.ofSeconds(3), Duration.ofSeconds(30));
				int closed = stalledClients.closedByServer();
				int threads = threads(pid);
				LoadClient.Result result = client.result((long) rate * seconds);
				StallRun run = new StallRun(server.key(), healthy, stalled, rate, STALL_BYTES, seconds, result, heldFor,
						closed, threads);
				System.out.printf(Locale.ROOT,
						"%d healthy + %d stalled x %d/s: healthy delivered %6.2f%%, p99 %7.2f ms; stalled held %s, "
								+ "%d of %d sockets closed by the server; %d threads%n",
						healthy, stalled, rate, 100 * result.deliveredRatio(), result.p99Millis(),
						heldFor.map((d) -> d.toMillis() + " ms").orElse("past the run"), closed, stalled, threads);
				return run;
			}
		}
		finally {
			stop(process);
		}
	}

	private LoadClient connectWhenReady(int port, int connections) throws Exception {
		awaitReady(port);
		return LoadClient.connect(port, "/stream", connections, Duration.ofSeconds(120));
	}

	/**
	 * Two sse-boot instances on one Redis: clients on B, events published on A, so every event crosses Redis. CPU and
	 * memory are B's.
	 */
	private void measureAcrossRedis(List<Run> runs) throws Exception {
		int redisPort = 18_690;
		Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(redisPort), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
			.redirectOutput(new File("target/redis.log"))
			.start();
		List<Process> instances = new ArrayList<>();
		try {
			int portA = 18_680;
			int portB = 18_681;
			for (int port : new int[] { portA, portB }) {
				instances.add(new ProcessBuilder(javaBin(), "-Xmx2g", FIXED_JIT_THREADS, "-cp", this.classpath,
						SseBootServer.class.getName(),
						"--server.port=" + port, "--sse.redis.enabled=true", "--spring.data.redis.port=" + redisPort,
						"--sse.max-connections=20000", "--server.tomcat.max-connections=20000",
						"--spring.main.banner-mode=off", "--logging.level.root=WARN")
					.redirectErrorStream(true)
					.redirectOutput(new File("target/sse-boot-redis-" + port + ".log"))
					.start());
			}
			System.out.printf("%n== (a) sse-boot across Redis: publish on :%d, clients on :%d%n", portA, portB);
			awaitReady(portA);
			awaitReady(portB);
			Server server = new Server("sse-boot-redis", "(a) across Redis", SseBootServer.class.getName(), List.of());
			runs.add(run(server, instances.get(1).pid(), portB, portA, "1,000 connections x 100/s", 1000, 100,
					this.quick ? 8 : 20));
		}
		finally {
			for (Process process : instances) {
				stop(process);
			}
			stop(redis);
		}
	}

	static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(15, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private Run run(Server server, long pid, int port, String scenario, int connections, int rate, int seconds)
			throws Exception {
		return run(server, pid, port, port, scenario, connections, rate, seconds);
	}

	/** Clients on {@code port}, the publishing run started on {@code publishPort}. */
	private Run run(Server server, long pid, int port, int publishPort, String scenario, int connections, int rate,
			int seconds) throws Exception {
		long rssBefore = rssKb(pid);
		try (LoadClient client = LoadClient.connect(port, "/stream", connections, Duration.ofSeconds(120))) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (clients(port) < connections && System.nanoTime() < deadline) {
				TimeUnit.MILLISECONDS.sleep(50);
			}
			long cpuBefore = ProcessTicks.cpuTicksWithoutJit(pid);
			post(publishPort, "/bench/run?rate=" + rate + "&seconds=" + seconds + "&bytes=" + BYTES);
			long expected = (long) rate * seconds;
			TimeUnit.SECONDS.sleep(seconds);
			client.awaitDelivery(expected, Duration.ofSeconds(3), Duration.ofSeconds(seconds + 30L));
			double cpu = (ProcessTicks.cpuTicksWithoutJit(pid) - cpuBefore) / (double) CLK_TCK;
			long rss = rssKb(pid);
			LoadClient.Result result = client.result(expected);
			Run run = new Run(server.key(), scenario, connections, rate, seconds, result, cpu, rss, rssBefore);
			System.out.printf(Locale.ROOT,
					"%-28s %6d conns %5d/s: delivered %6.2f%%, p50 %7.2f ms, p99 %7.2f ms, p99.9 %7.2f ms, lost %d, "
							+ "cpu %.2f s (%.2f s/M events), rss %d MB%n",
					scenario, connections, rate, 100 * result.deliveredRatio(), result.p50Millis(), result.p99Millis(),
					result.p999Millis(), result.lost(), cpu, run.cpuPerMillion(), rss / 1024);
			return run;
		}
		finally {
			// servers notice closed clients only when they write: publish a little to nobody, so every server has
			// dropped the last run's connections before the next run starts
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (clients(port) > 0 && System.nanoTime() < deadline) {
				post(publishPort, "/bench/run?rate=20&seconds=1&bytes=" + BYTES);
				TimeUnit.MILLISECONDS.sleep(1500);
			}
		}
	}

	static void awaitReady(int port) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try {
				clients(port);
				return;
			}
			catch (IOException ex) {
				TimeUnit.MILLISECONDS.sleep(200);
			}
		}
		throw new IllegalStateException("server on port " + port + " did not start; see target/*.log");
	}

	static int clients(int port) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bench/clients")).build(),
				HttpResponse.BodyHandlers.ofString());
		return Integer.parseInt(response.body().trim());
	}

	static void post(int port, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
	}

	static int threads(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("Threads:")) {
				return Integer.parseInt(line.replaceAll("[^0-9]", ""));
			}
		}
		return -1;
	}

	static long rssKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		return -1;
	}

	static String javaBin() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static String today() {
		return LocalDate.now().toString();
	}

}

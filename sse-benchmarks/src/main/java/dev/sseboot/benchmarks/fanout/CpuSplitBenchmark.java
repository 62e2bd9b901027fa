package dev.sseboot.benchmarks.fanout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * CPU per event of a steady fan-out, user and kernel time apart: for each server (sse-boot, hand-written
 * {@code SseEmitter} code, WebFlux), in its own JVM on 127.0.0.1, 1,000 streams get 100 broadcasts a second; after
 * 20 s of warm-up, the server's CPU over 5 s in the middle of a second run (without its JIT compiler threads), divided
 * by the events its clients received in those 5 s. Where {@code perf} can count system calls here (Debian's
 * {@code linux-perf}), the socket writes and futex calls per event too. The servers take turns, and the whole round
 * repeats, so that each ratio compares runs made minutes apart, not hours. Every stream's writes go through the
 * kernel's loopback, whose receive side runs in the sending thread too: the kernel part is what any server pays per
 * write, and what no change to a server's own code can take away. Usage: {@code CpuSplitBenchmark <classpath>
 * <output-dir> [repetitions] [servers]}; writes {@code cpu-split.md}.
 */
public final class CpuSplitBenchmark {

	private static final int CONNECTIONS = 1_000;

	private static final int RATE = 100;

	private static final int WARM_SECONDS = 20;

	private static final int MEASURED_SECONDS = 5;

	private static final double CLK_TCK = 100;

	record Server(String key, String mainClass, List<String> args) {
	}

	/**
	 * One server's measured window: CPU per million events delivered in it, and how many were delivered of those due
	 * ({@code keptUp}, 1 when it kept up); system calls per delivered event.
	 */
	record Row(String server, int repetition, double userPerMillion, double systemPerMillion, double writesPerEvent,
			double futexPerEvent, double keptUp, double p99, double delivered) {

		double totalPerMillion() {
			return this.userPerMillion + this.systemPerMillion;
		}

	}

	private CpuSplitBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String classpath = args[0];
		Path out = Path.of(args[1]);
		int repetitions = (args.length > 2) ? Integer.parseInt(args[2]) : 2;
		List<String> only = (args.length > 3) ? List.of(args[3].split(",")) : List.of();
		List<Server> servers = new ArrayList<>();
		for (Server server : List.of(
				new Server("sse-boot", SseBootServer.class.getName(), List.of("--sse.heartbeat.interval=15s")),
				new Server("sse-boot-jetty", JettySseBootServer.class.getName(),
						List.of("--sse.heartbeat.interval=15s")),
				new Server("hand-written", HandWrittenServer.class.getName(), List.of("--sse.enabled=false")),
				new Server("webflux", WebFluxServer.class.getName(), List.of()))) {
			if (only.isEmpty() ? !server.key().equals("sse-boot-jetty") : only.contains(server.key())) {
				servers.add(server);
			}
		}
		List<Row> rows = new ArrayList<>();
		for (int repetition = 1; repetition <= repetitions; repetition++) {
			for (Server server : servers) {
				rows.add(measure(classpath, server, repetition, 18_720 + rows.size()));
			}
		}
		Files.createDirectories(out);
		Files.writeString(out.resolve("cpu-split.md"), report(rows, repetitions));
		System.out.println(Files.readString(out.resolve("cpu-split.md")));
	}

	private static Row measure(String classpath, Server server, int repetition, int port) throws Exception {
		List<String> command = new ArrayList<>(List.of(FanOutBenchmark.javaBin(), "-Xmx2g", "-XX:+UseG1GC",
				FanOutBenchmark.FIXED_JIT_THREADS, "-cp", classpath, server.mainClass(), "--server.port=" + port,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		String logName = "cpu-split-" + server.key() + "-" + repetition;
		command.addAll(server.args());
		Process process = FanOutBenchmark.launch(command, logName);
		long pid = process.pid();
		System.out.printf("%n== %s, repetition %d (pid %d, port %d)%n", server.key(), repetition, pid, port);
		try {
			FanOutBenchmark.awaitReady(port);
			try (LoadClient client = LoadClient.connect(port, "/stream", CONNECTIONS, Duration.ofSeconds(120))) {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (FanOutBenchmark.clients(port) < CONNECTIONS && System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(50);
				}
				long warm = (long) RATE * WARM_SECONDS;
				FanOutBenchmark.post(port, "/bench/run?rate=" + RATE + "&seconds=" + WARM_SECONDS + "&bytes=64");
				TimeUnit.SECONDS.sleep(WARM_SECONDS);
				client.awaitDelivery(warm, Duration.ofSeconds(3), Duration.ofSeconds(30));
				int runSeconds = MEASURED_SECONDS + 5;
				FanOutBenchmark.post(port,
						"/bench/run?rate=" + RATE + "&seconds=" + runSeconds + "&bytes=64&first=" + (warm + 1));
				TimeUnit.SECONDS.sleep(3);
				long[] before = ProcessTicks.userAndSystemTicksWithoutJit(pid);
				long receivedBefore = client.events();
				Map<String, Long> calls = countSystemCalls(pid, MEASURED_SECONDS);
				long[] after = ProcessTicks.userAndSystemTicksWithoutJit(pid);
				double events = Math.max(1, client.events() - receivedBefore);
				long total = warm + (long) RATE * runSeconds;
				TimeUnit.SECONDS.sleep(runSeconds - 3 - MEASURED_SECONDS);
				client.awaitDelivery(total, Duration.ofSeconds(3), Duration.ofSeconds(30));
				LoadClient.Result result = client.result(total);
				double due = (double) CONNECTIONS * RATE * MEASURED_SECONDS;
				Row row = new Row(server.key(), repetition, (after[0] - before[0]) / CLK_TCK / events * 1e6,
						(after[1] - before[1]) / CLK_TCK / events * 1e6, perEvent(calls, "write", events),
						perEvent(calls, "futex", events), events / due, result.p99Millis(), result.deliveredRatio());
				System.out.printf(Locale.ROOT,
						"user %.2f s + kernel %.2f s = %.2f s per million delivered events; writes %.2f, futex %.3f "
								+ "per event; delivered %.0f%% of those due in the window; p99 %.1f ms, "
								+ "delivered %.2f%%%n",
						row.userPerMillion(), row.systemPerMillion(), row.totalPerMillion(), row.writesPerEvent(),
						row.futexPerEvent(), 100 * row.keptUp(), row.p99(), 100 * row.delivered());
				return row;
			}
		}
		finally {
			FanOutBenchmark.stop(process);
		}
	}

	/**
	 * Counts {@code pid}'s system calls for {@code seconds} with {@code perf stat} (sleeps that long either way);
	 * empty where perf is missing or may not trace.
	 */
	private static Map<String, Long> countSystemCalls(long pid, int seconds) throws Exception {
		Map<String, Long> counts = new HashMap<>();
		if (!new File("/usr/bin/perf").canExecute()) {
			TimeUnit.SECONDS.sleep(seconds);
			return counts;
		}
		File output = File.createTempFile("perf-stat", ".csv");
		try {
			Process perf = new ProcessBuilder("/usr/bin/perf", "stat", "-x,", "-e",
					"syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_futex", "-p",
					String.valueOf(pid), "--", "sleep", String.valueOf(seconds))
				.redirectErrorStream(true)
				.redirectOutput(output)
				.start();
			if (!perf.waitFor(seconds + 10L, TimeUnit.SECONDS)) {
				perf.destroyForcibly();
				return counts;
			}
			for (String line : Files.readAllLines(output.toPath())) {
				String[] fields = line.split(",");
				if (fields.length > 2 && fields[0].matches("[0-9]+") && fields[2].startsWith("syscalls:sys_enter_")) {
					String call = fields[2].substring("syscalls:sys_enter_".length());
					counts.merge(call.startsWith("write") ? "write" : call, Long.parseLong(fields[0]), Long::sum);
				}
			}
			return counts;
		}
		finally {
			Files.deleteIfExists(output.toPath());
		}
	}

	private static double perEvent(Map<String, Long> calls, String call, double events) {
		Long count = calls.get(call);
		return (count != null) ? count / events : Double.NaN;
	}

	private static String report(List<Row> rows, int repetitions) throws IOException {
		StringBuilder text = new StringBuilder();
		text.append(String.format(Locale.ROOT,
				"CPU per delivered event at %,d streams x %d broadcasts/s (64-byte events), %d s measured after %d s "
						+ "warm, JIT compiler threads left out; %d repetitions, servers in turn. A server that falls "
						+ "behind delivers fewer events than are due: its figures are those of a saturated server%n%n",
				CONNECTIONS, RATE, MEASURED_SECONDS, WARM_SECONDS, repetitions));
		text.append("| server | repetition | user s / M events | kernel s / M events | total s / M events "
				+ "| socket writes per event | futex calls per event | delivered of due in the window | p99 "
				+ "| delivered |\n");
		text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Row row : rows) {
			text.append(String.format(Locale.ROOT,
					"| %s | %d | %.2f | %.2f | %.2f | %s | %s | %.0f%% | %.1f ms | %.2f%% |%n", row.server(),
					row.repetition(), row.userPerMillion(), row.systemPerMillion(), row.totalPerMillion(),
					count(row.writesPerEvent(), "%.2f"), count(row.futexPerEvent(), "%.3f"), 100 * row.keptUp(),
					row.p99(), 100 * row.delivered()));
		}
		text.append("\nsse-boot's total against the others in the same repetition:\n\n");
		for (int repetition = 1; repetition <= repetitions; repetition++) {
			Row ours = find(rows, "sse-boot", repetition);
			if (ours == null) {
				continue;
			}
			for (Row other : rows) {
				if (other.repetition() == repetition && !other.server().startsWith("sse-boot")) {
					text.append(String.format(Locale.ROOT, "- repetition %d: %.2fx %s (kernel part %.2fx)%n",
							repetition, ours.totalPerMillion() / other.totalPerMillion(), other.server(),
							ours.systemPerMillion() / other.systemPerMillion()));
				}
			}
		}
		text.append(String.format("%n(%d cores, %s)%n", Runtime.getRuntime().availableProcessors(), LocalDate.now()));
		return text.toString();
	}

	private static String count(double perEvent, String format) {
		return Double.isNaN(perEvent) ? "n/a" : String.format(Locale.ROOT, format, perEvent);
	}

	private static @Nullable Row find(List<Row> rows, String server, int repetition) {
		for (Row row : rows) {
			if (row.server().equals(server) && row.repetition() == repetition) {
				return row;
			}
		}
		return null;
	}

}

package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Writes fanout.md and fanout.json: every run, then sse-boot's ratios against (b) and (c). */
final class Report {

	private Report() {
	}

	static void write(Path out, List<FanOutBenchmark.Run> runs, List<FanOutBenchmark.StallRun> stallRuns,
			Map<String, Integer> highest, boolean quick) throws IOException {
		String machine = machine();
		StringBuilder md = new StringBuilder();
		md.append("# Fan-out benchmark\n\n");
		md.append("Measured ").append(FanOutBenchmark.today()).append(" on ").append(machine)
			.append(quick ? " (quick mode: shorter runs, 2,000 instead of 10,000 connections)" : "")
			.append(". Load client and server share the cores; loopback only. ")
			.append("Latency is from each event's due time. CPU is the server's, without its JIT compiler threads ")
			.append("(the first scenario runs while the JIT still compiles).\n\n");
		md.append("| server | scenario | conns | rate/s | delivered | p50 ms | p99 ms | p99.9 ms | lost | CPU s ")
			.append("| CPU s / M events | RSS MB |\n");
		md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (FanOutBenchmark.Run run : runs) {
			LoadClient.Result r = run.result();
			md.append(String.format(Locale.ROOT,
					"| %s | %s | %d | %d | %.2f%% | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %d |%n",
					run.server(), run.scenario(), run.connections(), run.rate(), 100 * r.deliveredRatio(),
					r.p50Millis(),
					r.p99Millis(), r.p999Millis(), r.lost(), run.cpuSeconds(), run.cpuPerMillion(),
					run.rssKb() / 1024));
		}
		if (!stallRuns.isEmpty()) {
			FanOutBenchmark.StallRun first = stallRuns.get(0);
			md.append(String.format(Locale.ROOT, "%n## %,d healthy connections at %d/s beside %d that never read%n%n"
					+ "Events of %d bytes, %d s; every server's socket send buffer fixed at 64 KB so that the stalled "
					+ "clients fill it within the run.%n%n", first.healthy(), first.rate(), first.stalled(),
					first.bytes(),
					first.seconds()));
			md.append("| server | healthy delivered | healthy p50 ms | healthy p99 ms | stalled held by the server | "
					+ "stalled sockets closed | server threads |\n");
			md.append("|---|---:|---:|---:|---:|---:|---:|\n");
			for (FanOutBenchmark.StallRun run : stallRuns) {
				LoadClient.Result r = run.result();
				md.append(String.format(Locale.ROOT, "| %s | %.2f%% | %.2f | %.2f | %s | %d of %d | %d |%n",
						run.server(),
						100 * r.deliveredRatio(), r.p50Millis(), r.p99Millis(),
						run.stalledHeldFor().map((d) -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0))
							.orElse("past the run (" + run.seconds() + " s)"),
						run.socketsClosed(), run.stalled(), run.threads()));
			}
		}
		md.append("\n## Highest rate kept up at 1,000 connections (>= 99% delivered, p99 < 100 ms)\n\n");
		highest.forEach((server, rate) -> md.append("- ").append(server).append(": ").append(rate).append("/s\n"));
		md.append("\n## sse-boot against the alternatives (same run)\n\n");
		for (String other : List.of("hand-written", "webflux")) {
			ratio(md, runs, "1,000 connections x 100/s", other, "CPU per delivered event",
					FanOutBenchmark.Run::cpuPerMillion, true);
			ratio(md, runs, "10,000 connections x 1/s", other, "p99 latency at many connections",
					(run) -> run.result().p99Millis(), true);
			ratio(md, runs, "10,000 connections x 1/s", other, "resident memory with the connections open",
					(run) -> (double) run.rssKb(), true);
			Integer mine = highest.get("sse-boot");
			Integer theirs = highest.get(other);
			if (mine != null && theirs != null && theirs > 0) {
				md.append(String.format(Locale.ROOT, "- highest rate kept up: %.2fx %s's (%d/s vs %d/s)%n",
						(double) mine / theirs, other, mine, theirs));
			}
		}
		Optional<FanOutBenchmark.Run> local = find(runs, "sse-boot", "1,000 connections x 100/s");
		Optional<FanOutBenchmark.Run> redis = find(runs, "sse-boot-redis", "1,000 connections x 100/s");
		if (local.isPresent() && redis.isPresent()) {
			md.append(String.format(Locale.ROOT,
					"- across Redis (publish on one instance, 1,000 clients on another): p50 %.2f ms, p99 %.2f ms, "
							+ "against %.2f / %.2f ms on one instance%n",
					redis.get().result().p50Millis(), redis.get().result().p99Millis(),
					local.get().result().p50Millis(),
					local.get().result().p99Millis()));
		}
		Files.writeString(out.resolve("fanout.md"), md.toString());
		Files.writeString(out.resolve("fanout.json"), json(runs, stallRuns, highest, machine, quick));
	}

	private static void ratio(StringBuilder md, List<FanOutBenchmark.Run> runs, String scenario, String other,
			String what, ToDoubleFunction<FanOutBenchmark.Run> value, boolean lowerIsBetter) {
		Optional<FanOutBenchmark.Run> mine = find(runs, "sse-boot", scenario);
		Optional<FanOutBenchmark.Run> theirs = find(runs, other, scenario);
		if (mine.isPresent() && theirs.isPresent() && value.applyAsDouble(theirs.get()) > 0) {
			double ratio = value.applyAsDouble(mine.get()) / value.applyAsDouble(theirs.get());
			md.append(String.format(Locale.ROOT, "- %s (%s): %.2fx %s's%s%n", what, scenario, ratio, other,
					lowerIsBetter ? " (lower is better)" : ""));
		}
	}

	private static Optional<FanOutBenchmark.Run> find(List<FanOutBenchmark.Run> runs, String server, String scenario) {
		return runs.stream().filter((r) -> r.server().equals(server) && r.scenario().equals(scenario)).findFirst();
	}

	private static String json(List<FanOutBenchmark.Run> runs, List<FanOutBenchmark.StallRun> stallRuns,
			Map<String, Integer> highest, String machine, boolean quick) {
		String rows = runs.stream().map((run) -> {
			LoadClient.Result r = run.result();
			return String.format(Locale.ROOT,
					"{\"server\":\"%s\",\"scenario\":\"%s\",\"connections\":%d,\"rate\":%d,\"seconds\":%d,"
							+ "\"delivered\":%d,\"expected\":%d,\"lost\":%d,\"duplicates\":%d,\"p50Millis\":%.3f,"
							+ "\"p99Millis\":%.3f,\"p999Millis\":%.3f,\"maxMillis\":%.3f,\"cpuSeconds\":%.2f,"
							+ "\"cpuSecondsPerMillionEvents\":%.3f,\"rssKb\":%d,\"rssBeforeKb\":%d}",
					run.server(), run.scenario(), run.connections(), run.rate(), run.seconds(), r.delivered(),
					r.expected(), r.lost(), r.duplicates(), r.p50Millis(), r.p99Millis(), r.p999Millis(), r.maxMillis(),
					run.cpuSeconds(), run.cpuPerMillion(), run.rssKb(), run.rssBeforeKb());
		}).collect(Collectors.joining(",\n    "));
		String stalls = stallRuns.stream().map((run) -> {
			LoadClient.Result r = run.result();
			return String.format(Locale.ROOT,
					"{\"server\":\"%s\",\"healthy\":%d,\"stalled\":%d,\"rate\":%d,\"bytes\":%d,\"seconds\":%d,"
							+ "\"healthyDelivered\":%d,\"healthyExpected\":%d,\"healthyP50Millis\":%.3f,"
							+ "\"healthyP99Millis\":%.3f,\"stalledHeldMillis\":%s,\"stalledSocketsClosed\":%d,"
							+ "\"serverThreads\":%d}",
					run.server(), run.healthy(), run.stalled(), run.rate(), run.bytes(), run.seconds(), r.delivered(),
					r.expected(), r.p50Millis(), r.p99Millis(),
					run.stalledHeldFor().map((d) -> String.valueOf(d.toMillis())).orElse("null"), run.socketsClosed(),
					run.threads());
		}).collect(Collectors.joining(",\n    "));
		String best = highest.entrySet().stream().map((e) -> "\"" + e.getKey() + "\":" + e.getValue())
			.collect(Collectors.joining(","));
		return "{\n  \"date\": \"" + FanOutBenchmark.today() + "\",\n  \"machine\": \"" + machine.replace("\"", "'")
				+ "\",\n  \"quick\": " + quick + ",\n  \"highestRateKeptUp\": {" + best + "},\n  \"runs\": [\n    "
				+ rows + "\n  ],\n  \"stalled\": [\n    " + stalls + "\n  ]\n}\n";
	}

	private static String machine() {
		String cpu = "unknown CPU";
		try {
			cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter((l) -> l.startsWith("model name"))
				.findFirst().map((l) -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
		}
		catch (IOException ex) {
			// keep the default
		}
		return String.format(Locale.ROOT, "%d cores (%s), Java %s, %s %s", Runtime.getRuntime().availableProcessors(),
				cpu, System.getProperty("java.version"), System.getProperty("os.name"),
				System.getProperty("os.version"));
	}

}

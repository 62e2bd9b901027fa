package dev.sseboot.system;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The run's verdict: every publish against every client's log. What it checks, for every client of every topic:
 * <ul>
 * <li>it never gave up (an EventSource in state CLOSED is a browser stranded until the user reloads);</li>
 * <li>every event whose publish returned an id arrived once, in publish order, with that id, with no gap, unless an
 * {@code sse-reset} arrived in between in a scenario that explains it (Redis lost the events), at most once per
 * client in it;</li>
 * <li>no event arrived whose publish the application reported as not published (a 503).</li>
 * </ul>
 * And, per scenario, that every failed publish is one the scenario explains. It also measures what README reports:
 * latency, time until a client streams again, reconnects and replayed events.
 */
final class Ledger {

	/** Examples listed of each kind of violation; the rest are counted. */
	private static final int EXAMPLES = 3;

	/** A first stream has no Last-Event-ID: events sent this soon after its open may precede its subscription. */
	private static final long FIRST_OPEN_SLACK = 1000;

	private static final DateTimeFormatter NGINX_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

	private final List<Publisher.Published> published;

	private final Map<Integer, Publisher.Published> bySeq = new HashMap<>();

	private final Map<String, TreeSet<Integer>> succeededByTopic = new HashMap<>();

	private final List<Scenario> scenarios;

	/** Violations by scenario and kind: how many, and the first few in full. */
	private final Map<String, List<String>> violations = new TreeMap<>();

	private final Map<String, Integer> counts = new TreeMap<>();

	private int violationCount;

	Ledger(List<Publisher.Published> published, List<Scenario> scenarios) {
		this.published = published;
		this.scenarios = scenarios;
		for (Publisher.Published p : published) {
			this.bySeq.put(p.seq(), p);
			if (p.succeeded()) {
				this.succeededByTopic.computeIfAbsent(p.topic(), (t) -> new TreeSet<>()).add(p.seq());
			}
		}
	}

	private void violation(long at, String kind, String detail) {
		this.violationCount++;
		String key = "[" + scenarioAt(at) + "] " + kind;
		this.counts.merge(key, 1, Integer::sum);
		List<String> examples = this.violations.computeIfAbsent(key, (k) -> new ArrayList<>());
		if (examples.size() < EXAMPLES) {
			examples.add(detail);
		}
	}

	int violationCount() {
		return this.violationCount;
	}

	/** Every kind of violation with its count and first examples, one kind a paragraph. */
	String violations() {
		StringBuilder out = new StringBuilder();
		this.violations.forEach((key, examples) -> {
			out.append(key).append(": ").append(this.counts.get(key)).append('\n');
			examples.forEach((example) -> out.append("    ").append(example).append('\n'));
		});
		return out.toString();
	}

	private String scenarioAt(long at) {
		for (Scenario scenario : this.scenarios) {
			if (scenario.holds(at)) {
				return scenario.name();
			}
		}
		return "between scenarios";
	}

	private Scenario scenarioOf(long at) {
		for (Scenario scenario : this.scenarios) {
			if (scenario.holds(at)) {
				return scenario;
			}
		}
		return null;
	}

	/** Checks every publish the publisher saw fail: only where a scenario explains it, never more than it allows. */
	void checkPublishes() {
		Map<Scenario, Integer> failures = new HashMap<>();
		for (Publisher.Published p : this.published) {
			if (p.succeeded()) {
				continue;
			}
			Scenario scenario = scenarioOf(p.sentAt());
			if (scenario == null || !scenario.failures().test(p)) {
				violation(p.sentAt(), "a publish failed with " + p.status() + " where nothing explains it",
						"seq " + p.seq() + " to " + p.topic() + " at " + p.sentAt() + ": " + firstLine(p.error()));
			}
			else {
				failures.merge(scenario, 1, Integer::sum);
			}
		}
		failures.forEach((scenario, count) -> {
			if (count > scenario.maxFailures()) {
				violation(scenario.from(), "more failed publishes than the scenario explains",
						count + " failed, " + scenario.maxFailures() + " explained");
			}
		});
	}

	/** Checks one client's whole log. */
	void checkClient(ClientLog client) {
		TreeSet<Integer> topicSeqs = this.succeededByTopic.getOrDefault(client.topic, new TreeSet<>());
		int last = -1;
		boolean resetSinceLast = false;
		long firstOpen = Long.MAX_VALUE - FIRST_OPEN_SLACK;
		Map<Scenario, Integer> resets = new HashMap<>();
		for (ClientLog.Entry entry : client.entries()) {
			switch (entry.kind()) {
				case ClientLog.OPEN -> {
					firstOpen = Math.min(firstOpen, entry.at());
				}
				case ClientLog.ERROR -> {
					if (entry.state() == ClientLog.CLOSED) {
						violation(entry.at(), "a client gave up for good (CLOSED)", client + ": " + entry.data());
					}
				}
				case ClientLog.RESET -> {
					Scenario scenario = scenarioOf(entry.at());
					if (scenario == null || !scenario.resetTopics().contains(client.topic)) {
						violation(entry.at(), "an sse-reset no scenario explains",
								client + " at " + entry.at() + ", id " + entry.id());
					}
					else if (resets.merge(scenario, 1, Integer::sum) > 1) {
						violation(entry.at(), "a second sse-reset in one restart", client + " at " + entry.at());
					}
					resetSinceLast = true;
				}
				case ClientLog.EVENT -> {
					int seq = entry.seq();
					Publisher.Published p = this.bySeq.get(seq);
					if (p == null || !p.topic().equals(client.topic)) {
						violation(entry.at(), "an event never published to the topic", client + ": seq " + seq);
						continue;
					}
					if (p.succeeded() && !p.id().equals(entry.id())) {
						violation(entry.at(), "an event with another id than its publish returned",
								client + ": seq " + seq + " with id " + entry.id() + ", published as " + p.id());
					}
					if (!p.succeeded() && p.status() == 503) {
						violation(entry.at(), "an event whose publish was answered 503", client + ": seq " + seq);
					}
					if (seq <= last) {
						violation(entry.at(), (seq == last) ? "a duplicate" : "an event out of order",
								client + ": seq " + seq + " after " + last + " at " + entry.at());
						continue;
					}
					long expectedFrom = firstOpen + FIRST_OPEN_SLACK;
					Collection<Integer> missed = (last < 0)
							? topicSeqs.headSet(seq, false).stream()
								.filter((s) -> this.bySeq.get(s).sentAt() > expectedFrom)
								.toList()
							: topicSeqs.subSet(last, false, seq, false);
					if (!missed.isEmpty() && !resetSinceLast) {
						violation(entry.at(), "events missed with no sse-reset", client + ": " + missed.size()
								+ " before seq " + seq + " at " + entry.at() + ": " + abbreviate(missed));
					}
					last = seq;
					resetSinceLast = false;
				}
				default -> throw new IllegalStateException("unknown entry " + entry);
			}
		}
		for (Scenario scenario : this.scenarios) {
			if (scenario.resetTopics().contains(client.topic) && resets.getOrDefault(scenario, 0) != 1) {
				violation(scenario.from(), "not exactly one sse-reset when Redis lost the topic",
						client + ": " + resets.getOrDefault(scenario, 0));
			}
		}
		Integer newest = topicSeqs.isEmpty() ? null : topicSeqs.last();
		if (newest != null && last != newest) {
			violation(Long.MAX_VALUE, "the newest events never arrived",
					client + " ended at seq " + last + ", the topic's newest is " + newest);
		}
		if (client.state != 1) {
			violation(Long.MAX_VALUE, "a client not open at the end", client + ": readyState " + client.state);
		}
	}

	private static String firstLine(String text) {
		return (text == null) ? "" : text.lines().findFirst().orElse("");
	}

	private static String abbreviate(Collection<Integer> seqs) {
		List<Integer> list = List.copyOf(seqs);
		return (list.size() <= 6) ? list.toString() : list.subList(0, 3) + "..." + list.subList(list.size() - 2,
				list.size());
	}

	/** What README reports of one scenario, measured over every client's log. */
	record Figures(int clients, int reconnected, double reconnectsPerClient, int maxReconnects, long backP50,
			long backP99, long backMax, int replayed, long latencyP50, long latencyP99, int events) {

		@Override
		public String toString() {
			return String.format("%d events delivered, latency p50 %d ms p99 %d ms; %d of %d clients reconnected "
					+ "(%.2f reconnects per client, max %d); streaming again after p50 %d ms, p99 %d ms, max %d ms; "
					+ "%d events replayed", this.events, this.latencyP50, this.latencyP99, this.reconnected,
					this.clients, this.reconnectsPerClient, this.maxReconnects, this.backP50, this.backP99,
					this.backMax, this.replayed);
		}

	}

	static Figures figures(Scenario scenario, List<ClientLog> clients) {
		List<Long> latencies = new ArrayList<>();
		List<Long> backAfter = new ArrayList<>();
		int reconnected = 0;
		int reconnects = 0;
		int maxReconnects = 0;
		int replayed = 0;
		for (ClientLog client : clients) {
			long lastOpen = -1;
			boolean resumed = false;
			boolean everOpened = false;
			// a client streams again at the open of the first stream that then delivers an event
			long downSince = -1;
			long longestDown = -1;
			int opens = 0;
			for (ClientLog.Entry entry : client.entries()) {
				boolean inside = scenario.holds(entry.at());
				switch (entry.kind()) {
					case ClientLog.OPEN -> {
						resumed = everOpened;
						everOpened = true;
						lastOpen = entry.at();
						if (inside) {
							opens++;
						}
					}
					case ClientLog.ERROR -> {
						lastOpen = -1;
						if (inside && downSince < 0) {
							downSince = entry.at();
						}
					}
					case ClientLog.EVENT -> {
						if (downSince >= 0 && lastOpen >= downSince) {
							longestDown = Math.max(longestDown, lastOpen - downSince);
							downSince = -1;
						}
						if (inside) {
							if (resumed && entry.sentAt() < lastOpen) {
								replayed++;
							}
							else {
								latencies.add(entry.at() - entry.sentAt());
							}
						}
					}
					default -> {
					}
				}
			}
			if (opens > 0) {
				reconnected++;
				reconnects += opens;
				maxReconnects = Math.max(maxReconnects, opens);
			}
			if (longestDown >= 0) {
				backAfter.add(longestDown);
			}
		}
		return new Figures(clients.size(), reconnected, (double) reconnects / clients.size(), maxReconnects,
				percentile(backAfter, 50), percentile(backAfter, 99), percentile(backAfter, 100), replayed,
				percentile(latencies, 50), percentile(latencies, 99), latencies.size() + replayed);
	}

	static long percentile(List<Long> values, int percent) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	/** The nginx error-log lines no scenario explains, and how many of each kind each scenario had. */
	Map<String, Map<String, Integer>> checkNginxErrors(List<String> lines) {
		Map<String, Map<String, Integer>> kinds = new LinkedHashMap<>();
		for (String line : lines) {
			// nginx logs to the second: the line belongs to a scenario that holds any moment of that second
			long at = nginxTime(line);
			Scenario scenario = (scenarioOf(at + 999) != null) ? scenarioOf(at + 999) : scenarioOf(at);
			String kind = line.replaceFirst("^.*?\\[(\\w+)\\] \\d+#\\d+: \\*?\\d* ?", "[$1] ")
				.replaceFirst(", client: .*$", "");
			boolean explained = (scenario != null && scenario.explains(line))
					|| (scenarioOf(at) != null && scenarioOf(at).explains(line));
			if (!explained) {
				violation(at, "an nginx error no scenario explains", line);
			}
			kinds.computeIfAbsent((scenario != null) ? scenario.name() : "between scenarios", (k) -> new TreeMap<>())
				.merge(kind, 1, Integer::sum);
		}
		return kinds;
	}

	/** Requests nginx answered a stream client with a 5xx: never allowed (the publisher's are checked above). */
	void checkAccessLog(List<String> lines) {
		for (String line : lines) {
			String[] fields = line.split(" ");
			if (fields.length >= 4 && fields[1].equals("GET") && fields[3].startsWith("5")) {
				violation((long) (Double.parseDouble(fields[0]) * 1000), "a stream client got a 5xx", line);
			}
		}
	}

	/** nginx's error-log time, {@code 2026/12/04 18:20:01}, to the second, as epoch ms (local time zone). */
	private static long nginxTime(String line) {
		try {
			LocalDateTime time = LocalDateTime.parse(line.substring(0, 19), NGINX_TIME);
			return time.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

}

package dev.sseboot.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.sseboot.testsupport.RawSseClient;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The system as users run it, started by the test: three instances (Tomcat, Tomcat, Jetty) on one Redis, nginx in
 * front of them with the repository's configuration file, hundreds of npm EventSources and a few SseClients over 20
 * topics, and a publisher at 50 events/s, all through nginx. Scenarios run one after another on it, each a window of
 * time; {@link #verify()} then holds every client's whole log against every publish (see {@link Ledger}).
 */
final class SystemRun implements AutoCloseable {

	static final int TOPICS = 20;

	/** 300 in CI; the longer variant ({@code sse-benchmarks/run-system.sh}) sets thousands. */
	static final int NODE_CLIENTS = Integer.getInteger("sse.system.clients", 300);

	static final int CORE_CLIENTS = 4;

	static final int PUBLISH_RATE = 50;

	static final int STALLED_CLIENTS = 20;

	/** How long nginx takes an instance it failed to reach for gone ({@code fail_timeout} in sse-boot.conf). */
	private static final long NGINX_FAIL_TIMEOUT = 2000;

	/** How long every client gets to stream again and catch up after a disruption. */
	private static final Duration SETTLE = Duration.ofSeconds(60 + NODE_CLIENTS / 10);

	final String label;

	final Path dir;

	final List<Instance> instances = new ArrayList<>();

	private Nginx nginx;

	private Publisher publisher;

	private NodeClients node;

	private CoreClients core;

	final List<ClientLog> clients = new ArrayList<>();

	final List<Scenario> scenarios = new ArrayList<>();

	private final Map<String, Map<Instance.Refused, Long>> refused = new LinkedHashMap<>();

	private final Map<String, String> notes = new LinkedHashMap<>();

	private long begun;

	private Map<Instance.Refused, Long> refusedAtBegin;

	private SystemRun(String label, Path dir, List<String> redisArguments) {
		this.label = label;
		this.dir = dir;
	}

	/** Starts the system; whatever started is stopped again when a part fails to. */
	static SystemRun start(String label, Path dir, List<String> redisArguments) throws Exception {
		SystemRun run = new SystemRun(label, dir, redisArguments);
		try {
			run.startAll(redisArguments);
			return run;
		}
		catch (Exception | Error ex) {
			run.close();
			throw ex;
		}
	}

	private void startAll(List<String> redisArguments) throws Exception {
		List<Integer> ports = freePorts(4);
		List<String> containers = List.of("tomcat", "tomcat", "jetty");
		for (int i = 0; i < 3; i++) {
			this.instances.add(new Instance(ports.get(i + 1), containers.get(i), redisArguments, dir));
		}
		for (Instance instance : this.instances) {
			instance.start();
		}
		this.instances.forEach(Instance::awaitReady);
		this.nginx = Nginx.start(ports.get(0), ports.subList(1, 4), dir);
		String base = "http://127.0.0.1:" + this.nginx.port;
		this.node = NodeClients.start(base, NODE_CLIENTS, TOPICS, dir);
		this.core = new CoreClients(base, CORE_CLIENTS, TOPICS);
		this.clients.addAll(this.node.clients);
		this.clients.addAll(this.core.clients);
		this.publisher = new Publisher(base, IntStream.range(0, TOPICS).mapToObj((i) -> "t" + i).toList(),
				PUBLISH_RATE, 0);
		begin();
		settle();
		end(Scenario.steady("0 start-up", this.begun, System.currentTimeMillis()));
	}

	// the scenarios

	void steadyState(Duration length) throws Exception {
		begin();
		hold(length);
		settle();
		end(Scenario.steady("1 steady state", this.begun, System.currentTimeMillis()));
	}

	void rollingDeploy() throws Exception {
		begin();
		List<String> stops = new ArrayList<>();
		for (Instance instance : this.instances) {
			stops.add(instance.container + " " + instance.stop().toMillis() + " ms");
			instance.start();
			instance.awaitReady();
		}
		settle();
		this.notes.put("2 rolling deploy", "graceful stops took " + stops);
		end(new Scenario("2 rolling deploy", this.begun, System.currentTimeMillis(), Set.of(), Scenario::resetOnStop,
				2, Pattern.compile(Scenario.INSTANCE_GONE + "|" + Scenario.RESET_ON_STOP)));
	}

	void crash() throws Exception {
		begin();
		Instance victim = this.instances.get(1);
		long killed = System.currentTimeMillis();
		victim.kill();
		hold(Duration.ofSeconds(5));
		victim.start();
		victim.awaitReady();
		settle();
		// a publish in flight on the killed instance is lost with it: nginx answers it 502 and never resends a POST
		Predicate<Publisher.Published> inFlight = (p) -> (p.status() == 502 || p.status() == -1)
				&& p.sentAt() >= killed - 1000 && p.sentAt() <= killed + 1000;
		end(new Scenario("3 crash (kill -9, back 5 s later)", this.begun, System.currentTimeMillis(), Set.of(),
				inFlight, 3, Pattern.compile(Scenario.INSTANCE_GONE + "|" + Scenario.INSTANCE_DIED)));
	}

	void everythingRestarts() throws Exception {
		begin();
		long down = System.currentTimeMillis();
		List<Thread> stops = new ArrayList<>();
		for (Instance instance : this.instances) {
			Thread stop = new Thread(() -> {
				try {
					instance.stop();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			stop.start();
			stops.add(stop);
		}
		for (Thread stop : stops) {
			stop.join();
		}
		for (Instance instance : this.instances) {
			instance.start();
		}
		this.instances.forEach(Instance::awaitReady);
		long up = System.currentTimeMillis();
		settle();
		this.notes.put("4 everything restarts", "no instance up for " + (up - down) + " ms");
		// no instance is up: nginx answers a publish 502, loudly
		Predicate<Publisher.Published> noneUp = (p) -> (p.status() == 502 || p.status() == -1)
				&& p.sentAt() >= down && p.sentAt() <= up + NGINX_FAIL_TIMEOUT + 1000;
		end(new Scenario("4 everything restarts", this.begun, System.currentTimeMillis(), Set.of(), noneUp,
				Integer.MAX_VALUE, Pattern.compile(Scenario.INSTANCE_GONE + "|" + Scenario.NONE_UP + "|"
						+ Scenario.RESET_ON_STOP)));
	}

	/** Redis stops and starts empty: {@code stop} and {@code start} do it, on whatever Redis the run uses. */
	void redisRestarts(String name, Set<String> topicsLost, Action stop, Action start) throws Exception {
		begin();
		long down = System.currentTimeMillis();
		stop.run();
		hold(Duration.ofSeconds(3));
		start.run();
		long up = System.currentTimeMillis();
		settle();
		List<Long> resetAfter = new ArrayList<>();
		List<ClientLog> untold = new ArrayList<>();
		try {
			await(this.label + ": every client of a lost topic told so with sse-reset").atMost(SETTLE)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> {
					this.node.collect();
					resetAfter.clear();
					untold.clear();
					for (ClientLog client : this.clients) {
						if (topicsLost.contains(client.topic)) {
							long reset = client.between(down, Long.MAX_VALUE).stream()
								.filter((e) -> e.kind() == ClientLog.RESET)
								.mapToLong(ClientLog.Entry::at)
								.findFirst()
								.orElse(-1);
							if (reset < 0) {
								untold.add(client);
							}
							else {
								resetAfter.add(reset - up);
							}
						}
					}
					return untold.isEmpty();
				});
		}
		catch (ConditionTimeoutException ex) {
			threadDumps("no-sse-reset");
			StringBuilder detail = new StringBuilder();
			for (ClientLog client : untold.subList(0, Math.min(3, untold.size()))) {
				List<ClientLog.Entry> since = client.between(down - 5000, Long.MAX_VALUE);
				detail.append('\n').append(client).append(" since 5 s before Redis stopped (").append(down)
					.append("), up at ").append(up).append(": ")
					.append(since.subList(0, Math.min(12, since.size())));
			}
			throw new AssertionError(untold.size() + " clients of lost topics never got sse-reset (" + resetAfter.size()
					+ " did); thread dumps in " + this.dir + detail, ex);
		}
		settle();
		this.notes.put(name, "Redis down for " + (up - down) + " ms; it lost " + topicsLost.size()
				+ " topics, whose clients got sse-reset p50 " + Ledger.percentile(resetAfter, 50) + " ms, max "
				+ Ledger.percentile(resetAfter, 100) + " ms after it was back");
		// the application answers a publish it could not make 503, loudly
		Predicate<Publisher.Published> redisDown = (p) -> p.status() == 503 && p.sentAt() >= down - 1000;
		end(new Scenario(name, this.begun, System.currentTimeMillis(), topicsLost, redisDown, Integer.MAX_VALUE,
				Pattern.compile("(?!)")));
	}

	void slowProxyClients() throws Exception {
		begin();
		String base = "http://127.0.0.1:" + this.nginx.port;
		List<RawSseClient> stalled = new ArrayList<>();
		for (int i = 0; i < STALLED_CLIENTS; i++) {
			stalled.add(RawSseClient.open(this.nginx.port, "/slow/big"));
		}
		try (Publisher big = new Publisher(base, List.of("big"), 20, 16 * 1024)) {
			await("the stalled clients' streams open on the instances").atMost(Duration.ofSeconds(20))
				.until(() -> slowStreams() == STALLED_CLIENTS);
			long stalledAt = System.currentTimeMillis();
			try {
				await("sse-boot freeing the stalled clients' streams").atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(500))
					.until(() -> {
						this.node.collect();
						return slowStreams() == 0;
					});
			}
			catch (ConditionTimeoutException ex) {
				threadDumps("stalled-streams-not-freed");
				throw new AssertionError("stalled streams still open: " + this.instances.stream()
					.map((i) -> i.container + ":" + i.port + "=" + i.activeStreams("/slow/{topic}"))
					.toList() + "; thread dumps in " + this.dir, ex);
			}
			long freedAt = System.currentTimeMillis();
			long sent = (long) this.instances.stream()
				.mapToDouble((i) -> i.meter("sse.bytes.sent", "endpoint:/slow/{topic}"))
				.sum();
			List<Long> drained = new ArrayList<>();
			for (RawSseClient client : stalled) {
				drained.add(client.drainUntilEnd(Duration.ofSeconds(30)));
			}
			long notEnded = drained.stream().filter((d) -> d < 0).count();
			this.notes.put("7 slow proxy clients", String.format("the %d stalled streams were all closed on the "
					+ "instances %d ms after they opened; sse-boot wrote %d KiB to each before; nginx ended %d of %d "
					+ "client connections, which then still drained %s bytes (held by nginx's socket send buffer and "
					+ "the client's receive buffer)", STALLED_CLIENTS, freedAt - stalledAt,
					sent / STALLED_CLIENTS / 1024, STALLED_CLIENTS - notEnded, STALLED_CLIENTS, summary(drained)));
			if (notEnded > 0) {
				throw new AssertionError(notEnded + " stalled clients' connections were never ended by nginx");
			}
			big.close();
			List<Publisher.Published> failed = big.published.stream().filter((p) -> !p.succeeded()).toList();
			if (!failed.isEmpty()) {
				throw new AssertionError("large publishes failed beside stalled clients: " + failed);
			}
		}
		finally {
			stalled.forEach(RawSseClient::close);
		}
		settle();
		end(new Scenario("7 slow proxy clients", this.begun, System.currentTimeMillis(), Set.of(), (p) -> false, 0,
				Pattern.compile(Scenario.INSTANCE_DIED)));
	}

	/** Every instance's threads, into the run's directory: what a stuck instance waits on. */
	private void threadDumps(String why) throws IOException, InterruptedException {
		for (Instance instance : this.instances) {
			if (instance.isAlive()) {
				Path file = this.dir.resolve(why + "-" + instance.port + ".txt");
				new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
						String.valueOf(instance.pid()), "Thread.print")
					.redirectErrorStream(true)
					.redirectOutput(file.toFile())
					.start()
					.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private long slowStreams() {
		return this.instances.stream().mapToLong((i) -> i.activeStreams("/slow/{topic}")).sum();
	}

	private static String summary(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return "min " + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2) + ", max "
				+ sorted.get(sorted.size() - 1);
	}

	// the run's mechanics

	private void begin() {
		this.begun = System.currentTimeMillis();
		this.refusedAtBegin = refusedNow();
	}

	private void end(Scenario scenario) {
		this.scenarios.add(scenario);
		Map<Instance.Refused, Long> now = refusedNow();
		Map<Instance.Refused, Long> delta = new EnumMap<>(Instance.Refused.class);
		now.forEach((reason, count) -> delta.put(reason, count - this.refusedAtBegin.getOrDefault(reason, 0L)));
		this.refused.put(scenario.name(), delta);
	}

	private Map<Instance.Refused, Long> refusedNow() {
		Map<Instance.Refused, Long> total = new EnumMap<>(Instance.Refused.class);
		for (Instance instance : this.instances) {
			instance.refused().forEach((reason, count) -> total.merge(reason, count, Long::sum));
		}
		return total;
	}

	/** Keeps the system running for {@code length}, collecting the clients' logs as it goes. */
	private void hold(Duration length) throws IOException, InterruptedException {
		long end = System.nanoTime() + length.toNanos();
		while (System.nanoTime() < end) {
			LockSupport.parkNanos(Math.min(TimeUnit.SECONDS.toNanos(1), end - System.nanoTime()));
			this.node.collect();
		}
	}

	/**
	 * Waits until every client is open and has every event published to its topic more than a second ago: the end of
	 * a disruption, as its users see it.
	 */
	private void settle() {
		await(this.label + ": every client streaming again and caught up").atMost(SETTLE)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				this.node.collect();
				long before = System.currentTimeMillis() - 1000;
				Map<String, Integer> due = new LinkedHashMap<>();
				for (Publisher.Published p : this.publisher.published) {
					if (p.succeeded() && p.doneAt() < before) {
						due.put(p.topic(), p.seq());
					}
				}
				for (ClientLog client : this.clients) {
					if (client.state != 1 || client.lastSeq() < due.getOrDefault(client.topic, -1)) {
						return false;
					}
				}
				return true;
			});
	}

	/** Stops publishing, waits for the last events to arrive everywhere, then holds every log against every publish. */
	void verify() throws Exception {
		this.publisher.close();
		settle();
		this.node.collect();
		Ledger ledger = new Ledger(this.publisher.published, this.scenarios);
		ledger.checkPublishes();
		this.clients.forEach(ledger::checkClient);
		Map<String, Map<String, Integer>> nginxErrors = ledger.checkNginxErrors(this.nginx.errorLog());
		ledger.checkAccessLog(this.nginx.accessLog());
		String report = report(nginxErrors);
		Files.writeString(Path.of("target", "system-report-" + this.label + ".md"), report, StandardCharsets.UTF_8);
		System.out.println(report);
		if (ledger.violationCount() > 0) {
			throw new AssertionError(ledger.violationCount() + " violations (logs in " + this.dir + "):\n"
					+ ledger.violations());
		}
	}

	private String report(Map<String, Map<String, Integer>> nginxErrors) {
		StringBuilder out = new StringBuilder("# System run: " + this.label + "\n\n");
		long published = this.publisher.published.stream().filter(Publisher.Published::succeeded).count();
		out.append(String.format("%d publishes (%d returned an id) to %d topics; %d EventSources and %d SseClients "
				+ "through nginx; instances %s%n%n", this.publisher.published.size(), published, TOPICS, NODE_CLIENTS,
				CORE_CLIENTS, this.instances.stream().map((i) -> i.container + ":" + i.port).toList()));
		for (Scenario scenario : this.scenarios) {
			out.append("## ").append(scenario.name()).append(" (")
				.append((scenario.to() - scenario.from()) / 1000).append(" s)\n");
			out.append("- ").append(Ledger.figures(scenario, this.clients)).append('\n');
			Map<Integer, Long> failures = new TreeMap<>();
			this.publisher.published.stream()
				.filter((p) -> !p.succeeded() && scenario.holds(p.sentAt()))
				.forEach((p) -> failures.merge(p.status(), 1L, Long::sum));
			out.append("- failed publishes by status: ").append(failures).append('\n');
			out.append("- refused streams by reason: ").append(this.refused.get(scenario.name())).append('\n');
			out.append("- nginx error log: ").append(nginxErrors.getOrDefault(scenario.name(), Map.of())).append('\n');
			if (this.notes.containsKey(scenario.name())) {
				out.append("- ").append(this.notes.get(scenario.name())).append('\n');
			}
			out.append('\n');
		}
		return out.toString();
	}

	static List<Integer> freePorts(int count) throws IOException {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			return sockets.stream().map(ServerSocket::getLocalPort).toList();
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
	}

	@Override
	public void close() throws Exception {
		if (this.publisher != null) {
			this.publisher.close();
		}
		if (this.core != null) {
			this.core.close();
		}
		if (this.node != null) {
			this.node.close();
		}
		if (this.nginx != null) {
			this.nginx.close();
		}
		for (Instance instance : this.instances) {
			if (instance.isAlive()) {
				instance.kill();
			}
		}
	}

	/** A step that may throw: stopping or starting Redis. */
	@FunctionalInterface
	interface Action {

		void run() throws Exception;

	}

}

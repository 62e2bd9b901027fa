package dev.sseboot.system;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * One instance of {@link SystemApplication}: a JVM of its own on a fixed loopback port, started with the test's own
 * class path, stopped by its PID (SIGTERM for a deploy, SIGKILL for a crash). Its log goes to a file beside the
 * others, read when a scenario fails.
 */
final class Instance {

	/** The refusal reasons of {@code sse.connections.refused}, as the meter tags them. */
	enum Refused {

		CAPACITY, CLIENT_LIMIT, TOPIC_LIMIT, SHUTDOWN;

		String tag() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Pattern COUNT = Pattern
		.compile("\"statistic\"\\s*:\\s*\"COUNT\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.E]+)");

	/**
	 * Each instance's heap: 256m for CI's 100 streams an instance; the longer variant sets more (on Tomcat a stream
	 * costs about 110 KB, README "Memory per connection"). An instance that runs out exits, as in production.
	 */
	private static final String HEAP = System.getProperty("sse.system.heap", "256m");

	final int port;

	final String container;

	private final List<String> redisArguments;

	private final Path log;

	private final Map<Refused, Long> refusedBefore = new EnumMap<>(Refused.class);

	private Process process;

	Instance(int port, String container, List<String> redisArguments, Path dir) {
		this.port = port;
		this.container = container;
		this.redisArguments = redisArguments;
		this.log = dir.resolve("instance-" + port + ".log");
	}

	/** Starts the JVM; {@link #awaitReady()} waits for it. */
	void start() throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP,
				"-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				SystemApplication.class.getName(), "--server.port=" + this.port,
				"--server.address=127.0.0.1", "--system.container=" + this.container));
		command.addAll(this.redisArguments);
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
	}

	/** Waits until the instance answers its health endpoint with 200 (up, Redis reachable). */
	void awaitReady() {
		await("instance " + this.port + " ready").atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("instance " + this.port + " exited with "
							+ this.process.exitValue() + "; see " + this.log);
				}
				return status("/actuator/health") == 200;
			});
	}

	/** A deploy's stop: SIGTERM, then waits for the graceful shutdown to end; returns how long it took. */
	Duration stop() throws InterruptedException {
		long start = System.nanoTime();
		remember();
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new IllegalStateException("instance " + this.port + " did not stop within 60 s of SIGTERM");
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** A crash: SIGKILL, nothing is completed. */
	void kill() throws InterruptedException {
		remember();
		this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Open streams of {@code endpoint} on this instance, from {@code sse.connections.active}. */
	long activeStreams(String endpoint) {
		return (long) meter("sse.connections.active", "endpoint:" + endpoint);
	}

	/** Refusals by reason since the test began, over every start of this instance. */
	Map<Refused, Long> refused() {
		Map<Refused, Long> total = new EnumMap<>(this.refusedBefore);
		if (isAlive()) {
			for (Refused reason : Refused.values()) {
				total.merge(reason, (long) meter("sse.connections.refused", "reason:" + reason.tag()), Long::sum);
			}
		}
		return total;
	}

	/** Adds the refusals counted by the running process to the ones before it: a restart zeroes its meters. */
	private void remember() {
		if (isAlive()) {
			for (Refused reason : Refused.values()) {
				this.refusedBefore.merge(reason, (long) meter("sse.connections.refused", "reason:" + reason.tag()),
						Long::sum);
			}
		}
	}

	double meter(String name, String tag) {
		try {
			HttpResponse<String> response = HTTP.send(request("/actuator/metrics/" + name + "?tag="
					+ URLEncoder.encode(tag, StandardCharsets.UTF_8)),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 404) {
				return 0;
			}
			Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.E]+)").matcher(response.body());
			Matcher count = COUNT.matcher(response.body());
			return count.find() ? Double.parseDouble(count.group(1))
					: value.find() ? Double.parseDouble(value.group(1)) : 0;
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private int status(String path) {
		try {
			return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
	}

}

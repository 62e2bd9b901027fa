package dev.sseboot.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full instance never strands a browser: the npm {@code eventsource} client (an independent implementation of the
 * WHATWG EventSource, which gives up for good on any status but 200) is refused while the one slot is taken, keeps
 * coming back as the refusal's {@code retry:} tells it, and streams once the slot frees.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.max-connections=1", "sse.refusal.retry=300ms" })
class RefusedEventSourceTests {

	private static final File SCRIPTS = new File("src/test/node");

	@LocalServerPort
	int port;

	@Autowired
	SseStreams streams;

	@Autowired
	MeterRegistry registry;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	@SuppressWarnings("unchecked")
	void aRefusedEventSourceWaitsAndRetriesAndStreamsOnceASlotFrees() throws Exception {
		boolean installed = new File(SCRIPTS, "node_modules/eventsource/package.json").isFile();
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(installed, "npm eventsource is not installed (bash .ci/run installs it)");
		}
		String url = "http://127.0.0.1:" + this.port + "/clock";
		SseStream holder = SseTestClient.local(this.port).open("/clock");
		Process node = null;
		List<Map<String, Object>> lines = new CopyOnWriteArrayList<>();
		try {
			assertThat(holder.status()).isEqualTo(200);
			holder.awaitEvent((m) -> m.event().equals("tick"), Duration.ofSeconds(10));
			assertThat(this.streams.size()).isEqualTo(1);
			node = new ProcessBuilder("node", "refused-stream.mjs", url, "tick", "60").directory(SCRIPTS)
				.redirectErrorStream(true)
				.start();
			Process running = node;
			Thread reader = new Thread(() -> {
				try (BufferedReader out = new BufferedReader(
						new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = out.readLine()) != null) {
						lines.add(line.startsWith("{") ? this.json.readValue(line, Map.class) : Map.of("raw", line));
					}
				}
				catch (Exception ex) {
					lines.add(Map.of("readerFailed", ex.toString()));
				}
			});
			reader.start();
			// refused again and again, each time back to CONNECTING: it waits and retries, it never gives up
			await().atMost(Duration.ofSeconds(30))
				.until(() -> lines.stream().filter((l) -> l.containsKey("error")).count() >= 3
						|| lines.stream().anyMatch((l) -> l.containsKey("closed")));
			assertThat(lines).as("%s", lines).noneMatch((l) -> l.containsKey("closed"));
			assertThat(lines.stream().filter((l) -> l.containsKey("error")))
				.allSatisfy((l) -> assertThat(l.get("readyState")).isEqualTo(0));
			assertThat(lines).noneMatch((l) -> "tick".equals(l.get("event")));
			assertThat(this.registry.get("sse.connections.refused").tag("endpoint", "/clock").tag("reason", "capacity")
				.counter().count()).isGreaterThanOrEqualTo(3);
			holder.close();
			assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node reads a tick once the slot is free: %s", lines)
				.isTrue();
			assertThat(node.exitValue()).as("%s", lines).isZero();
			reader.join(10_000);
			assertThat(lines).anyMatch((l) -> "tick".equals(l.get("event")));
		}
		finally {
			holder.close();
			if (node != null) {
				node.destroyForcibly();
				node.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}

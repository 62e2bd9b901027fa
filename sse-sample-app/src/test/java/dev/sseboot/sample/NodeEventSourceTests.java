package dev.sseboot.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The clock and a chat room read by the npm eventsource client: an independent implementation agrees. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NodeEventSourceTests {

	private static final File SCRIPTS = new File("src/test/node");

	@LocalServerPort
	int port;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	@SuppressWarnings("unchecked")
	void npmEventSourceReadsTheClockAndTheChat() throws Exception {
		boolean installed = new File(SCRIPTS, "node_modules/eventsource/package.json").isFile();
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(installed, "npm eventsource is not installed (bash .ci/run installs it)");
		}
		String base = "http://127.0.0.1:" + this.port;
		Process node = new ProcessBuilder("node", "read-streams.mjs", base, "node-e2e", "2", "2").directory(SCRIPTS)
			.redirectErrorStream(true)
			.start();
		List<Map<String, Object>> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
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
		String[] ids = new String[2];
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch((l) -> l.containsKey("ready")));
			HttpClient http = HttpClient.newHttpClient();
			for (int i = 0; i < 2; i++) {
				HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/chat/node-e2e"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"node\",\"text\":\"hi " + i + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(posted.statusCode()).isEqualTo(200);
				ids[i] = (String) this.json.readValue(posted.body(), Map.class).get("id");
			}
			assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node exits once it has read enough: %s", lines).isTrue();
			assertThat(node.exitValue()).as("%s", lines).isZero();
		}
		finally {
			node.destroyForcibly();
			node.waitFor(10, TimeUnit.SECONDS);
		}
		reader.join(10_000);
		List<Map<String, Object>> ticks = lines.stream().filter((l) -> "tick".equals(l.get("event"))).toList();
		assertThat(ticks).hasSizeGreaterThanOrEqualTo(2);
		assertThat(ticks).allSatisfy((tick) -> assertThat(((Map<String, Object>) tick.get("data")).get("time"))
			.asString().matches("\\d\\d:\\d\\d:\\d\\d"));
		List<Map<String, Object>> messages = lines.stream().filter((l) -> "message".equals(l.get("event"))).toList();
		assertThat(messages).extracting((m) -> ((Map<String, Object>) m.get("data")).get("text"))
			.containsExactly("hi 0", "hi 1");
		assertThat(messages).extracting((m) -> m.get("lastEventId")).containsExactly(ids[0], ids[1]);
		assertThat(lines).noneMatch((l) -> l.containsKey("error"));
	}

}

package dev.sseboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clock and a chat room read by the npm eventsource client, and the assistant's POST stream read with Node's
 * fetch and the npm eventsource-parser: independent implementations agree.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class NodeEventSourceTests {

	@LocalServerPort
	int port;

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	@SuppressWarnings("unchecked")
	void npmEventSourceReadsTheClockAndTheChat() throws Exception {
		String base = "http://127.0.0.1:" + this.port;
		List<Map<String, Object>> lines;
		String[] ids = new String[2];
		try (NodeScript node = NodeScript.start("eventsource", "read-streams.mjs", base, "node-e2e", "2", "2")) {
			lines = node.lines();
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
			assertThat(node.awaitExit(Duration.ofSeconds(30))).as("node exits once it has read enough: %s", lines)
				.isTrue();
			assertThat(node.exitValue()).as("%s", lines).isZero();
		}
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

	@Test
	void fetchWithTheNpmEventsourceParserReadsAPostStreamToItsEnd() throws Exception {
		List<Map<String, Object>> lines = node("post-stream.mjs", "hello from node", "0");
		assertThat(lines.get(0)).containsEntry("status", 200);
		String run = (String) lines.get(0).get("run");
		assertThat(run).matches("[A-Za-z0-9_-]{22}");
		assertThat((String) lines.get(0).get("contentType")).startsWith("text/event-stream");
		List<Map<String, Object>> tokens = lines.stream().filter((l) -> "token".equals(l.get("event"))).toList();
		assertThat(tokens.stream().map((t) -> (String) t.get("data")).collect(Collectors.joining(" ")))
			.isEqualTo(Assistant.answerTo("hello from node"));
		for (int i = 0; i < tokens.size(); i++) {
			assertThat(tokens.get(i)).containsEntry("id", run + ":" + i);
		}
		assertThat(lines).anyMatch((l) -> "end".equals(l.get("event"))).anyMatch((l) -> l.containsKey("end"));
	}

	@Test
	void abortingTheFetchCancelsTheGeneratorOnTheServer() throws Exception {
		List<Map<String, Object>> lines = node("post-stream.mjs", "stop me", "5");
		assertThat(lines).anyMatch((l) -> Integer.valueOf(5).equals(l.get("aborted")));
		String run = (String) lines.get(0).get("run");
		HttpClient http = HttpClient.newHttpClient();
		URI report = URI.create("http://127.0.0.1:" + this.port + "/assistant/runs/" + run + "/report");
		await().atMost(Assistant.GRACE.plusSeconds(10))
			.until(() -> http.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString())
				.body()
				.contains("\"state\":\"cancelled\""));
		String reported = http.send(HttpRequest.newBuilder(report).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Map<?, ?> body = this.json.readValue(reported, Map.class);
		// the generator stopped: far fewer tokens than the answer has
		assertThat(((Number) body.get("tokens")).intValue())
			.isLessThan(Assistant.answerTo("stop me").split(" ").length);
	}

	/** Runs a script of eventsource-parser with the app's base URL first; the lines it printed once it exited 0. */
	private List<Map<String, Object>> node(String script, String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of("http://127.0.0.1:" + this.port));
		all.addAll(List.of(args));
		try (NodeScript node = NodeScript.start("eventsource-parser", script, all.toArray(String[]::new))) {
			assertThat(node.awaitExit(Duration.ofSeconds(30))).as("node exits by itself").isTrue();
			assertThat(node.exitValue()).as("%s", node.lines()).isZero();
			return node.lines().stream().filter((line) -> !line.containsKey("raw")).toList();
		}
	}

}

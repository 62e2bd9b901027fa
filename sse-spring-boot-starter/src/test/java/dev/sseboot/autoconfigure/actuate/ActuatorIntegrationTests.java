package dev.sseboot.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The sse actuator endpoint and health indicator over HTTP. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=sse,health",
				"management.endpoint.health.show-details=always", "sse.max-connections=40" })
class ActuatorIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	private Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		@SuppressWarnings("unchecked")
		Map<String, Object> json = JsonMapper.builder().build().readValue(response.body(), Map.class);
		return json;
	}

	@Test
	@SuppressWarnings("unchecked")
	void listsEndpointsTopicsAndOpenStreamsWithoutClientIdentities() throws Exception {
		try (SseStream room = SseTestClient.local(this.port).open("/rooms/lobby")) {
			room.awaitEvents(1, Duration.ofSeconds(10));
			this.broadcaster.publish("room.lobby", "hello");
			Map<String, Object> sse = get("/actuator/sse");
			assertThat((Map<String, Object>) sse.get("connections")).containsEntry("open", 1).containsEntry("max", 40);
			List<Map<String, Object>> endpoints = (List<Map<String, Object>>) sse.get("endpoints");
			Map<String, Object> rooms = endpoints.stream().filter((e) -> e.get("path").equals("/rooms/{room}"))
				.findFirst().orElseThrow();
			assertThat(rooms).containsEntry("topic", "room.{room}").containsEntry("heartbeat", "PT0S")
				.containsEntry("bufferSize", 256).containsEntry("overflow", "block").containsEntry("open", 1);
			Map<String, Object> configured = endpoints.stream().filter((e) -> e.get("path").equals("/configured"))
				.findFirst().orElseThrow();
			assertThat(configured).containsEntry("bufferSize", 2).containsEntry("overflow", "drop-oldest");
			Map<String, Object> topics = (Map<String, Object>) sse.get("topics");
			assertThat(topics).containsEntry("count", 1).containsEntry("subscribers", 1).containsEntry("held", 1);
			assertThat(topics.get("byName")).as("topic names are often user ids: never shown by default").isNull();
			String body = JsonMapper.builder().build().writeValueAsString(sse);
			assertThat(body).doesNotContain("room.lobby")
				.doesNotContain(room.lastEventId().isEmpty() ? "\u0000" : room.lastEventId())
				.doesNotContainIgnoringCase("principal");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void healthIsUpWithConnectionUsage() throws Exception {
		Map<String, Object> health = get("/actuator/health/sse");
		assertThat(health).containsEntry("status", "UP");
		assertThat((Map<String, Object>) health.get("details")).containsEntry("maxConnections", 40)
			.containsKeys("connections", "usage");
	}

}

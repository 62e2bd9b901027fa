package dev.sseboot.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

/** The sse actuator endpoint with management.endpoint.sse.show-topics=always: topics by name. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=sse", "management.endpoint.sse.show-topics=always" })
class ActuatorTopicNamesIntegrationTests {

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
	void listsEachTopicByNameWhenAllowed() throws Exception {
		try (SseStream room = SseTestClient.local(this.port).open("/rooms/named")) {
			room.awaitEvents(1, Duration.ofSeconds(10));
			this.broadcaster.publish("room.named", "hello");
			Map<String, Object> topics = (Map<String, Object>) get("/actuator/sse").get("topics");
			Map<String, Object> byName = (Map<String, Object>) topics.get("byName");
			assertThat((Map<String, Object>) byName.get("room.named")).containsEntry("subscribers", 1)
				.containsEntry("held", 1).containsEntry("capacity", 1000);
		}
	}

}

package dev.sseboot.web.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.sseboot.core.EventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.Refusals;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.max-connections=2")
class ConnectionLimitIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseStreams connections;

	@Autowired
	RecordingDisconnects disconnects;

	@Autowired
	MeterRegistry registry;

	@AfterEach
	void closeEveryStream() {
		// /quiet has heartbeats off, so a cut client is never noticed: end the streams from the server side
		TestEndpoints.CHANNELS.values().forEach(EventChannel::close);
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
	}

	@Test
	void refusesGetStreamsPastTheLimitWithARetryWithoutCountingThem() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream first = client.open("/quiet"); SseStream second = client.open("/quiet")) {
			String firstId = first.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
			second.awaitEvents(1, WAIT);
			int disconnectsBefore = this.disconnects.all.size();
			double refusedBefore = refused("/quiet");
			try (SseStream third = client.open("/quiet")) {
				Refusals.assertRefusedWithRetry(third, "maximum of 2 event streams (sse.max-connections)");
			}
			assertThat(refused("/quiet")).isEqualTo(refusedBefore + 1);
			assertThat(this.connections.size()).isEqualTo(2);
			assertThat(this.disconnects.all).as("a refused request is not a stream").hasSize(disconnectsBefore);
			TestEndpoints.CHANNELS.get(firstId).close();
			first.awaitEnd(WAIT);
			await().atMost(WAIT).until(() -> this.connections.size() == 1);
			try (SseStream again = client.open("/quiet")) {
				assertThat(again.status()).isEqualTo(200);
				again.awaitEvents(1, WAIT);
			}
		}
	}

	@Test
	void refusedAndFailedRequestsDoNotLeakSlots() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		for (int i = 0; i < 5; i++) {
			try (SseStream refused = client.open("/refuse/x")) {
				assertThat(refused.status()).isEqualTo(404);
			}
			try (SseStream bad = client.request("/quiet").lastEventId("x".repeat(2000)).open()) {
				assertThat(bad.status()).isEqualTo(400);
			}
			try (SseStream overflowedThenThrew = client.open("/early/throws")) {
				assertThat(overflowedThenThrew.status()).isEqualTo(404);
			}
			try (SseStream closedEarly = client.open("/early/close")) {
				assertThat(closedEarly.status()).isEqualTo(200);
				closedEarly.awaitEnd(WAIT);
			}
		}
		// every slot is back, once: a stream closed while its method ran gives its slot back when it is reported, and
		// a failed method's error dispatch does not give it back a second time
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
		try (SseStream first = client.open("/quiet"); SseStream second = client.open("/quiet")) {
			assertThat(first.status()).isEqualTo(200);
			assertThat(second.status()).isEqualTo(200);
			first.awaitEvents(1, WAIT);
			second.awaitEvents(1, WAIT);
			try (SseStream third = client.open("/quiet")) {
				Refusals.assertRefusedWithRetry(third, "sse.max-connections");
			}
		}
	}

	@Test
	void refusesPostStreamsPastTheLimitWith503AndRetryAfter() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream first = client.open("/quiet"); SseStream second = client.open("/quiet")) {
			first.awaitEvents(1, WAIT);
			second.awaitEvents(1, WAIT);
			HttpResponse<String> refused = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/chat"))
					.header("Content-Type", "application/json")
					.header("Accept", "text/event-stream")
					.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
					(seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(2, 5));
			assertThat(refused.body()).contains("sse.max-connections");
			assertThat(this.registry.get("sse.connections.refused").tag("endpoint", "/chat").tag("reason", "capacity")
				.counter().count()).isPositive();
		}
	}

	private double refused(String endpoint) {
		return this.registry.get("sse.connections.refused").tag("endpoint", endpoint).tag("reason", "capacity")
			.counter().count();
	}

}

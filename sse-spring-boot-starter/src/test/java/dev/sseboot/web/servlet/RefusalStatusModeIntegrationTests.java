package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.EventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code sse.refusal.mode=status}: refused GET streams get status codes, with the configured delay jittered. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.max-connections-per-client=1", "sse.refusal.mode=status", "sse.refusal.retry=10s" })
class RefusalStatusModeIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseStreams connections;

	@AfterEach
	void closeEveryStream() {
		TestEndpoints.CHANNELS.values().forEach(EventChannel::close);
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
	}

	@Test
	void aRefusedGetStreamGetsTheStatusAndAJitteredRetryAfter() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream first = client.open("/quiet")) {
			first.awaitEvents(1, WAIT);
			try (SseStream second = client.open("/quiet")) {
				assertThat(second.status()).isEqualTo(429);
				assertThat(Integer.parseInt(second.header("Retry-After"))).isBetween(5, 15);
				second.awaitEnd(WAIT);
				assertThat(second.rawText()).contains("sse.max-connections-per-client");
			}
		}
	}

}

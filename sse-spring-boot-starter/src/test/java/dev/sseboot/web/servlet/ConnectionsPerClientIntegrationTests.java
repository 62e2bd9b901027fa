package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.EventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.Refusals;
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

/** sse.max-connections-per-client for anonymous clients: counted by remote address, 429 past it. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.max-connections-per-client=2")
class ConnectionsPerClientIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseStreams connections;

	@Autowired
	RecordingDisconnects disconnects;

	@AfterEach
	void closeEveryStream() {
		TestEndpoints.CHANNELS.values().forEach(EventChannel::close);
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
	}

	@Test
	void refusesAClientPastItsLimitForALaterTryAndGivesTheSlotBack() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream first = client.open("/quiet"); SseStream second = client.open("/quiet")) {
			String firstId = first.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
			second.awaitEvents(1, WAIT);
			int recorded = this.disconnects.all.size();
			try (SseStream third = client.open("/quiet")) {
				Refusals.assertRefusedWithRetry(third, "This client holds its maximum of 2 event streams "
						+ "(sse.max-connections-per-client); close one or retry later");
			}
			assertThat(this.disconnects.all).as("a refusal is not a stream").hasSize(recorded);
			assertThat(this.connections.size()).isEqualTo(2);
			TestEndpoints.CHANNELS.get(firstId).close();
			first.awaitEnd(WAIT);
			await().atMost(WAIT).until(() -> this.connections.size() == 1);
			try (SseStream again = client.open("/quiet")) {
				assertThat(again.status()).isEqualTo(200);
				again.awaitEvents(1, WAIT);
			}
		}
	}

}

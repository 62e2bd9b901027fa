package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sse.max-lifetime}: a stream is closed near the end of its life, COMPLETED, after a {@code retry:} that
 * tells the client when to come back, and a topic subscriber that does resumes with nothing missed.
 */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.max-lifetime=1s")
class MaxLifetimeIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	RecordingDisconnects disconnects;

	@Test
	void aStreamPastItsLifetimeClosesWithRetryAndItsClientResumesWithNothingMissed() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		int before = this.disconnects.forEndpoint("/rooms/{room}").size();
		long opened = System.nanoTime();
		SseStream first = client.open("/rooms/lifetime");
		assertThat(first.status()).isEqualTo(200);
		this.broadcaster.publish("room.lifetime", SseEvent.of("chat", "m1"));
		first.awaitEvent((m) -> m.data().equals("m1"), WAIT);
		first.awaitEnd(WAIT);
		Duration lived = Duration.ofNanos(System.nanoTime() - opened);
		// closed between 90% and 100% of its lifetime (and not much later)
		assertThat(lived).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
		String last = first.rawText().substring(first.rawText().lastIndexOf("\n\n", first.rawText().length() - 3) + 2);
		assertThat(last).matches("retry: [1-5]\\d{3}\n\n");
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/rooms/{room}").size() > before);
		assertThat(this.disconnects.forEndpoint("/rooms/{room}").get(before).reason()).isEqualTo(CloseReason.COMPLETED);
		this.broadcaster.publish("room.lifetime", SseEvent.of("chat", "m2"));
		try (SseStream resumed = first.reconnect()) {
			resumed.awaitEvent((m) -> m.data().equals("m2"), WAIT);
			assertThat(chat(resumed)).containsExactly("m2");
		}
	}

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

}

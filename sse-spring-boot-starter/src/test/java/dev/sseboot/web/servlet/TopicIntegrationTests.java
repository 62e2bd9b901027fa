package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.TopicNames;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Topics over real HTTP: fan-out, Last-Event-ID resume after a cut, reset for an unknown id. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TopicIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

	@Test
	void eventPublishedAfterTheClientSawTheHeadersReachesIt() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/rooms/fresh")) {
			assertThat(stream.status()).isEqualTo(200);
			this.broadcaster.publish("room.fresh", SseEvent.of("chat", "first"));
			stream.awaitEvent((m) -> m.event().equals("chat"), WAIT);
			assertThat(chat(stream)).containsExactly("first");
			assertThat(stream.events().get(0)).isEqualTo(new SseMessage("welcome", "fresh", ""));
		}
	}

	@Test
	void aPathValueCannotSubscribeToAnotherTemplatesTopic() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream forged = client.open("/rooms/x.admin"); SseStream admin = client.open("/rooms/x/admin")) {
			assertThat(forged.status()).isEqualTo(200);
			assertThat(admin.status()).isEqualTo(200);
			this.broadcaster.publish("room.x.admin", SseEvent.of("chat", "for the admins of room x"));
			this.broadcaster.publish("room." + TopicNames.escape("x.admin"), SseEvent.of("chat", "for room x.admin"));
			admin.awaitEvent((m) -> m.data().equals("for the admins of room x"), WAIT);
			forged.awaitEvent((m) -> m.data().equals("for room x.admin"), WAIT);
			assertThat(chat(forged)).containsExactly("for room x.admin");
			assertThat(chat(admin)).containsExactly("for the admins of room x");
		}
	}

	@Test
	void fansOutToEverySubscriberOfTheRoomOnly() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream a = client.open("/rooms/fan"); SseStream b = client.open("/rooms/fan");
				SseStream other = client.open("/rooms/other")) {
			for (SseStream stream : List.of(a, b, other)) {
				assertThat(stream.status()).isEqualTo(200);
			}
			this.broadcaster.publish("room.fan", SseEvent.of("chat", "hello fans"));
			a.awaitEvent((m) -> m.event().equals("chat"), WAIT);
			b.awaitEvent((m) -> m.event().equals("chat"), WAIT);
			this.broadcaster.publish("room.other", SseEvent.of("chat", "other"));
			other.awaitEvent((m) -> m.event().equals("chat"), WAIT);
			assertThat(chat(a)).containsExactly("hello fans");
			assertThat(chat(other)).containsExactly("other");
		}
	}

	@Test
	void resumesAfterACutWithExactlyTheMissedEventsThenLiveOnes() throws Exception {
		SseStream first = SseTestClient.local(this.port).open("/rooms/resume");
		assertThat(first.status()).isEqualTo(200);
		for (int i = 1; i <= 3; i++) {
			this.broadcaster.publish("room.resume", SseEvent.of("chat", "m" + i));
		}
		first.awaitEvent((m) -> m.data().equals("m3"), WAIT);
		first.cut();
		this.broadcaster.publish("room.resume", SseEvent.of("chat", "m4"));
		this.broadcaster.publish("room.resume", SseEvent.of("chat", "m5"));
		try (SseStream resumed = first.reconnect()) {
			assertThat(resumed.status()).isEqualTo(200);
			resumed.awaitEvent((m) -> m.data().equals("m5"), WAIT);
			this.broadcaster.publish("room.resume", SseEvent.of("chat", "m6"));
			resumed.awaitEvent((m) -> m.data().equals("m6"), WAIT);
			assertThat(chat(first)).containsExactly("m1", "m2", "m3");
			assertThat(chat(resumed)).containsExactly("m4", "m5", "m6");
		}
	}

	@Test
	void startsWithResetForAnUnknownLastEventId() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).request("/rooms/reset").lastEventId("from-yesterday")
			.open()) {
			SseMessage reset = stream.awaitEvent((m) -> m.event().equals(Broadcaster.RESET_EVENT), WAIT);
			assertThat(reset.data()).isEqualTo("room.reset");
			this.broadcaster.publish("room.reset", SseEvent.of("chat", "after reset"));
			stream.awaitEvent((m) -> m.event().equals("chat"), WAIT);
			assertThat(stream.events()).extracting(SseMessage::event).containsExactly("welcome", "sse-reset", "chat");
		}
	}

	@Test
	void channelOfATopicEndpointStillReachesItsOwnConnection() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/rooms/direct")) {
			stream.awaitEvent((m) -> m.event().equals("welcome"), WAIT);
			assertThat(this.broadcaster.topics().get("room.direct").subscribers()).isEqualTo(1);
		}
	}

}

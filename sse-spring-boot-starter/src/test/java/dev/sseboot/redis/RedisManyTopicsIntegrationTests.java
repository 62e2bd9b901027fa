package dev.sseboot.redis;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.ManyTopicsResume;
import dev.sseboot.testsupport.RedisInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Streams on many topics in the Redis mode, two instances on one real Redis: one {@code Last-Event-ID} resumes every
 * topic on either instance (the resume property, 1,000 cuts), and a topic whose missed events are gone gets
 * {@code sse-reset} naming it while the others resume.
 */
class RedisManyTopicsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisInstances redis;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void start() throws Exception {
		redis = RedisInstances.start(2);
		a = redis.get(0);
		b = redis.get(1);
	}

	@AfterAll
	static void stop() throws Exception {
		if (redis != null) {
			redis.close();
		}
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return RedisInstances.client(context);
	}

	@Test
	void cutAndResumedAThousandTimesOnEitherInstanceEveryEventArrivesOnceInItsTopicsOrder() throws Exception {
		int published = ManyTopicsResume.check(a.getBean(Broadcaster.class), List.of(client(a), client(b)),
				"resume", 1_000, 11);
		assertThat(published).isGreaterThan(1_000);
	}

	/**
	 * The position of a topic with no events yet ({@code 0-0}) resumes with the events published since, not a reset:
	 * a stream on many topics keeps that position for every topic that sent it nothing, and so does a one-topic
	 * client cut before its first event.
	 */
	@Test
	void aClientThatSubscribedToAnEmptyTopicResumesWithEverythingPublishedSince() throws Exception {
		String position;
		try (SseStream first = client(a).open("/rooms/empty-then-busy")) {
			assertThat(first.status()).isEqualTo(200);
			first.awaitText((text) -> text.contains("id: "), WAIT);
			position = first.lastEventId();
		}
		assertThat(position).isEqualTo("0-0");
		Broadcaster publisher = a.getBean(Broadcaster.class);
		publisher.publish("room.empty-then-busy", "one");
		publisher.publish("room.empty-then-busy", "two");
		try (SseStream again = client(b).request("/rooms/empty-then-busy").lastEventId(position).open()) {
			again.awaitEvent((m) -> m.data().equals("two"), WAIT);
			assertThat(again.events()).extracting(SseMessage::event, SseMessage::data)
				.containsExactly(tuple("welcome", "empty-then-busy"), tuple("message", "one"), tuple("message", "two"));
		}
	}

	@Test
	void aTopicWhoseMissedEventsAreGoneIsResetWhileTheOthersResume() throws Exception {
		Broadcaster publisher = a.getBean(Broadcaster.class);
		List<String> topics = ManyTopicsResume.topics("gone");
		String lastSeen;
		try (SseStream first = client(a).open("/many/gone")) {
			assertThat(first.status()).isEqualTo(200);
			publisher.publish(topics.get(0), "seen");
			first.awaitEvents(1, WAIT);
			lastSeen = first.lastEventId();
		}
		publisher.publish(topics.get(1), "kept");
		for (int i = 0; i < 3_000; i++) {
			// far past the replay window (1,000, a little more as Redis trims): what this topic missed is gone
			publisher.publish(topics.get(2), SseEvent.of("flood " + i));
		}
		publisher.publish(topics.get(3), "kept too");
		try (SseStream again = client(b).request("/many/gone").lastEventId(lastSeen).open()) {
			again.awaitEvents(3, WAIT);
			assertThat(again.events()).extracting(SseMessage::event, SseMessage::data)
				.containsExactlyInAnyOrder(tuple("message", "kept"),
						tuple(Broadcaster.RESET_EVENT, topics.get(2)),
						tuple("message", "kept too"));
			String reset = again.events().stream().filter((m) -> m.event().equals(Broadcaster.RESET_EVENT))
				.findFirst().orElseThrow().lastEventId();
			assertThat(reset).startsWith(topics.get(2) + " ");
			publisher.publish(topics.get(2), "after the reset");
			again.awaitEvent((m) -> m.data().equals("after the reset"), WAIT);
		}
	}

}

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/** One stream on many topics with one cursor, on the in-memory broadcaster. */
class ManyTopicsTests {

	private static final List<String> TOPICS = List.of("room.1", "room.1.presence", "user.ann", "tick.a", "tick.b");

	private final ManualExecutor drains = new ManualExecutor();

	/** A started channel and what its client has received. */
	final class Client {

		final RecordingTransport transport = new RecordingTransport();

		final List<CloseReason> closes = new CopyOnWriteArrayList<>();

		final DefaultEventChannel channel;

		Client(int bufferSize, String lastEventId) {
			this.channel = DefaultEventChannel.builder(this.transport).executor(ManyTopicsTests.this.drains)
				.lastEventId(lastEventId)
				.settings(new ChannelSettings(bufferSize, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.build();
			this.channel.onClose(this.closes::add);
			this.channel.start();
		}

		String text() {
			ManyTopicsTests.this.drains.runAll();
			return this.transport.text();
		}

		List<SseMessage> events() {
			List<SseMessage> events = new ArrayList<>();
			new SseParser(events::add).feed(text().getBytes(StandardCharsets.UTF_8));
			return events;
		}

		String lastEventId() {
			SseParser parser = new SseParser((m) -> {
			});
			parser.feed(text().getBytes(StandardCharsets.UTF_8));
			return parser.lastEventId();
		}

	}

	@Test
	void eachEventCarriesItsTopicAndTheCursorOfEveryTopicWithItsNameAndDataUnchanged() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 10);
		String before = broadcaster.publish("elsewhere", "x");
		String run = before.substring(0, before.lastIndexOf('-') + 1);
		int shared = run.length();
		Client client = new Client(16, null);
		broadcaster.subscribe(List.of("b", "a", "b"), client.channel);
		broadcaster.publish("a", SseEvent.of("chat", "hello"));
		broadcaster.publish("b", "two\nlines");
		// topics sorted (a, b); positions after the first are written as the characters shared with the one before
		// and the rest; the id-only block comes first so a client cut before any event still resumes both topics
		assertThat(client.text()).isEqualTo("id: " + run + "1," + digit(shared + 1) + "\n\n"
				+ "event: chat\ndata: hello\nid: a " + run + "2," + digit(shared) + "1\n\n"
				+ "data: two\ndata: lines\nid: b " + run + "2," + digit(shared) + "3\n\n");
		assertThat(client.events()).extracting(SseMessage::event, SseMessage::data)
			.containsExactly(tuple("chat", "hello"),
					tuple("message", "two\nlines"));
	}

	private static char digit(int value) {
		return Character.forDigit(Math.min(value, 35), 36);
	}

	@Test
	void oneLastEventIdResumesEveryTopicInPublishOrderWithNothingMissedOrTwice() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 100);
		Client first = new Client(64, null);
		broadcaster.subscribe(TOPICS, first.channel);
		broadcaster.publish("user.ann", "u1");
		broadcaster.publish("tick.a", "a1");
		String lastSeen = first.lastEventId();
		first.channel.close();
		broadcaster.publish("tick.b", "b1");
		broadcaster.publish("user.ann", "u2");
		broadcaster.publish("room.1", "r1");
		broadcaster.publish("tick.a", "a2");
		Client again = new Client(64, lastSeen);
		broadcaster.subscribe(TOPICS, again.channel);
		broadcaster.publish("room.1.presence", "p1");
		assertThat(again.events()).extracting(SseMessage::data).containsExactly("b1", "u2", "r1", "a2", "p1");
		assertThat(again.events()).extracting((m) -> m.lastEventId().substring(0, m.lastEventId().lastIndexOf(' ')))
			.containsExactly("tick.b", "user.ann", "room.1", "tick.a", "room.1.presence");
	}

	@Test
	void aTopicThatCannotBeResumedGetsAResetNamingItWhileTheOthersResume() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 2);
		Client first = new Client(64, null);
		broadcaster.subscribe(List.of("kept", "lost"), first.channel);
		String lastSeen = first.lastEventId();
		first.channel.close();
		broadcaster.publish("kept", "k1");
		for (int i = 0; i < 5; i++) {
			// more than the window of 2: this topic's missed events are gone
			broadcaster.publish("lost", "l" + i);
		}
		Client again = new Client(64, lastSeen);
		broadcaster.subscribe(List.of("lost", "kept"), again.channel);
		List<SseMessage> events = again.events();
		assertThat(events).extracting(SseMessage::event, SseMessage::data).containsExactlyInAnyOrder(
				tuple("message", "k1"),
				tuple(Broadcaster.RESET_EVENT, "lost"));
		// the reset moved the lost topic on: resuming from here misses nothing more and resets nothing again
		String now = again.lastEventId();
		again.channel.close();
		broadcaster.publish("lost", "l5");
		Client third = new Client(64, now);
		broadcaster.subscribe(List.of("kept", "lost"), third.channel);
		assertThat(third.events()).extracting(SseMessage::data).containsExactly("l5");
	}

	@Test
	void anIdThatIsNotThisStreamsCursorResetsEveryTopic() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 10);
		for (String lastEventId : List.of("garbage", "a b", "x,0y,0z", "%zz,0")) {
			Client client = new Client(64, lastEventId);
			broadcaster.subscribe(List.of("one", "two"), client.channel);
			assertThat(client.events()).extracting(SseMessage::event, SseMessage::data).as(lastEventId)
				.containsExactlyInAnyOrder(tuple(Broadcaster.RESET_EVENT, "one"),
						tuple(Broadcaster.RESET_EVENT, "two"));
		}
	}

	@Test
	void anIdTooLongForTheCursorMakesItsTopicUnknownSoOnlyThatTopicIsResetOnResume() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 10);
		Client first = new Client(64, null);
		broadcaster.subscribe(List.of("long", "short"), first.channel);
		broadcaster.publish("long", SseEvent.builder().id("x".repeat(1_020)).data("own id").build());
		broadcaster.publish("short", "s1");
		String lastSeen = first.lastEventId();
		assertThat(lastSeen.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1_024);
		assertThat(lastSeen).startsWith("short !,");
		first.channel.close();
		broadcaster.publish("short", "s2");
		Client again = new Client(64, lastSeen);
		broadcaster.subscribe(List.of("long", "short"), again.channel);
		assertThat(again.events()).extracting(SseMessage::event, SseMessage::data)
			.containsExactlyInAnyOrder(tuple(Broadcaster.RESET_EVENT, "long"), tuple("message", "s2"));
	}

	@Test
	void refusesAnEmptyListOfTopicsAndAnInvalidName() {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 10);
		Client client = new Client(64, null);
		assertThatIllegalArgumentException().isThrownBy(() -> broadcaster.subscribe(List.of(), client.channel))
			.withMessageContaining("at least one topic");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> broadcaster.subscribe(List.of("ok", "bad\nname"), client.channel))
			.withMessageContaining("control characters");
	}

	/**
	 * The resume property: a stream on five topics, cut at random points (with what was queued but not written
	 * lost, as on a real disconnect) and resumed with the last id its client saw, 1,000 times, while another thread
	 * publishes to random topics: every event of every topic arrives exactly once, in its topic's order.
	 */
	@Test
	void cutAndResumedAThousandTimesWhilePublishingEveryEventArrivesOnceInItsTopicsOrder() throws Exception {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 200_000);
		Random random = new Random(42);
		Map<String, List<String>> received = new HashMap<>();
		TOPICS.forEach((topic) -> received.put(topic, new ArrayList<>()));
		Client client = new Client(256, null);
		broadcaster.subscribe(TOPICS, client.channel);
		// the client reads the stream's first id (the cursor of every topic) before anything is published: a client
		// cut before it had any id reconnects without one and starts live, as an EventSource does
		String lastSeen = client.lastEventId();
		assertThat(lastSeen).isNotEmpty();
		AtomicBoolean stop = new AtomicBoolean();
		Map<String, Integer> published = new HashMap<>();
		Thread publisher = new Thread(() -> {
			Random pick = new Random(7);
			for (int n = 0; n < 150_000 && !stop.get(); n++) {
				String topic = TOPICS.get(pick.nextInt(TOPICS.size()));
				int count = published.merge(topic, 1, Integer::sum);
				broadcaster.publish(topic, topic + ":" + (count - 1));
				if (n % 64 == 0) {
					Thread.onSpinWait();
				}
			}
		}, "many-topics-publisher");
		publisher.start();
		int resets = 0;
		for (int cut = 0; cut < 1_000; cut++) {
			if (random.nextBoolean()) {
				this.drains.runAll();
			}
			client.channel.close(CloseReason.CLIENT_GONE);
			resets += collect(client, received);
			// as an EventSource does: a connection that brought no id leaves the last one as it was
			lastSeen = client.lastEventId().isEmpty() ? lastSeen : client.lastEventId();
			client = new Client(256, lastSeen);
			broadcaster.subscribe(TOPICS, client.channel);
		}
		stop.set(true);
		publisher.join(30_000);
		assertThat(publisher.isAlive()).isFalse();
		client.channel.close(CloseReason.CLIENT_GONE);
		resets += collect(client, received);
		lastSeen = client.lastEventId().isEmpty() ? lastSeen : client.lastEventId();
		Client last = new Client(1024, lastSeen);
		broadcaster.subscribe(TOPICS, last.channel);
		resets += collect(last, received);
		assertThat(resets).isZero();
		for (String topic : TOPICS) {
			int count = published.getOrDefault(topic, 0);
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				expected.add(topic + ":" + i);
			}
			assertThat(received.get(topic)).as(topic).hasSize(count).isEqualTo(expected);
		}
		assertThat(published.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(1_000);
	}

	/** Adds the client's events to {@code received} by topic (read from each id); returns the resets seen. */
	private int collect(Client client, Map<String, List<String>> received) {
		int resets = 0;
		for (SseMessage message : client.events()) {
			if (Broadcaster.RESET_EVENT.equals(message.event())) {
				resets++;
				continue;
			}
			String topic = message.lastEventId().substring(0, message.lastEventId().lastIndexOf(' '));
			assertThat(message.data()).startsWith(topic + ":");
			received.get(topic).add(message.data());
		}
		return resets;
	}

}

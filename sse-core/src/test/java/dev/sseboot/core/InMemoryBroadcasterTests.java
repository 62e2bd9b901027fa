package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InMemoryBroadcasterTests {

	private final ManualExecutor drains = new ManualExecutor();

	private final InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), 5);

	/** A started subscriber channel and what its client has received. */
	final class Client {

		final RecordingTransport transport = new RecordingTransport();

		final List<CloseReason> closes = new CopyOnWriteArrayList<>();

		final DefaultEventChannel channel;

		Client(int bufferSize, String lastEventId) {
			this.channel = DefaultEventChannel.builder(this.transport).executor(InMemoryBroadcasterTests.this.drains)
				.lastEventId(lastEventId)
				.settings(new ChannelSettings(bufferSize, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.build();
			this.channel.onClose(this.closes::add);
			this.channel.start();
		}

		List<SseMessage> events() {
			InMemoryBroadcasterTests.this.drains.runAll();
			List<SseMessage> events = new ArrayList<>();
			new SseParser(events::add).feed(this.transport.text().getBytes(StandardCharsets.UTF_8));
			return events;
		}

		List<String> data() {
			return events().stream().map(SseMessage::data).toList();
		}

		String lastEventId() {
			InMemoryBroadcasterTests.this.drains.runAll();
			SseParser parser = new SseParser((m) -> {
			});
			parser.feed(this.transport.text().getBytes(StandardCharsets.UTF_8));
			return parser.lastEventId();
		}

	}

	private Client subscribe(String topic, String lastEventId) {
		Client client = new Client(64, lastEventId);
		this.broadcaster.subscribe(topic, client.channel);
		return client;
	}

	@Test
	void deliversEachPublishToEverySubscriberWithMonotonicIds() {
		Client a = subscribe("room", null);
		Client b = subscribe("room", null);
		Client other = subscribe("elsewhere", null);
		String first = this.broadcaster.publish("room", SseEvent.of("chat", "hi"));
		String second = this.broadcaster.publish("room", "there");
		assertThat(a.events()).containsExactly(new SseMessage("chat", "hi", first),
				new SseMessage("message", "there", second));
		assertThat(b.events()).isEqualTo(a.events());
		assertThat(other.events()).isEmpty();
		String run = first.substring(0, first.lastIndexOf('-'));
		assertThat(second).startsWith(run + "-");
		assertThat(Long.parseLong(second.substring(run.length() + 1)))
			.isGreaterThan(Long.parseLong(first.substring(run.length() + 1)));
	}

	@Test
	void keepsTheApplicationsOwnIds() {
		Client client = subscribe("t", null);
		assertThat(this.broadcaster.publish("t", SseEvent.builder().id("order-7").data("x").build()))
			.isEqualTo("order-7");
		assertThat(client.events()).containsExactly(new SseMessage("message", "x", "order-7"));
		this.broadcaster.publish("t", "y");
		Client resumed = subscribe("t", "order-7");
		assertThat(resumed.data()).containsExactly("y");
	}

	@Test
	void encodesOncePerPublishWhateverTheNumberOfSubscribers() {
		AtomicInteger serialised = new AtomicInteger();
		InMemoryBroadcaster counting = new InMemoryBroadcaster(new SseEncoder((data) -> {
			serialised.incrementAndGet();
			return "{\"v\":" + data + "}";
		}), 10);
		List<Client> clients = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			Client client = new Client(8, null);
			counting.subscribe("t", client.channel);
			clients.add(client);
		}
		counting.publish("t", SseEvent.of(new Object() {
			@Override
			public String toString() {
				return "1";
			}
		}));
		counting.publish("t", SseEvent.of(List.of()));
		assertThat(serialised).hasValue(2);
		assertThat(clients).allSatisfy((client) -> assertThat(client.events()).hasSize(2));
		byte[] first = clients.get(0).transport.writes.get(clients.get(0).transport.writes.size() - 1);
		assertThat(clients.get(1).transport.writes.get(clients.get(1).transport.writes.size() - 1)).isEqualTo(first);
	}

	@Test
	void closesFullSubscriberAsSlowConsumerWithoutDelayingOthersOrPublisher() {
		Client fast = subscribe("t", null);
		RecordingTransport stuck = new RecordingTransport();
		List<CloseReason> stuckCloses = new CopyOnWriteArrayList<>();
		// never started: nothing drains it, like a client that stopped reading; BLOCK would wait 1 minute
		DefaultEventChannel slow = DefaultEventChannel.builder(stuck).executor(this.drains)
			.settings(new ChannelSettings(2, OverflowPolicy.BLOCK, Duration.ofMinutes(1))).build();
		slow.onClose(stuckCloses::add);
		this.broadcaster.subscribe("t", slow);
		for (int i = 1; i <= 5; i++) {
			this.broadcaster.publish("t", "e" + i);
		}
		this.drains.runAll();
		assertThat(stuckCloses).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(fast.data()).containsExactly("e1", "e2", "e3", "e4", "e5");
		assertThat(this.broadcaster.topics().get("t").subscribers()).isEqualTo(1);
	}

	@Test
	void subscriptionWithoutLastEventIdGetsOnlyLaterEventsAndAPosition() {
		this.broadcaster.publish("t", "before");
		Client client = subscribe("t", null);
		String position = client.lastEventId();
		assertThat(client.events()).isEmpty();
		assertThat(position).isNotEmpty();
		this.broadcaster.publish("t", "after");
		assertThat(client.data()).containsExactly("after");
		// a client cut before any event arrives resumes from the position without a gap
		client.channel.close();
		this.broadcaster.publish("t", "while away");
		assertThat(subscribe("t", position).data()).containsExactly("after", "while away");
	}

	@Test
	void replaysExactlyTheMissedEventsThenLiveOnes() {
		Client first = subscribe("t", null);
		this.broadcaster.publish("t", "1");
		this.broadcaster.publish("t", "2");
		String seen = first.lastEventId();
		first.channel.close(CloseReason.CLIENT_GONE);
		this.broadcaster.publish("t", "3");
		this.broadcaster.publish("t", "4");
		Client second = subscribe("t", seen);
		this.broadcaster.publish("t", "5");
		assertThat(second.data()).containsExactly("3", "4", "5");
	}

	@Test
	void replaysNothingToAClientThatMissedNothing() {
		Client first = subscribe("t", null);
		this.broadcaster.publish("t", "1");
		Client again = subscribe("t", first.lastEventId());
		assertThat(again.events()).isEmpty();
		assertThat(again.transport.text()).isEmpty();
	}

	@Test
	void startsWithResetForUnknownIdAndFromAnotherRun() {
		this.broadcaster.publish("room.1", "x");
		Client unknown = subscribe("room.1", "no-such-id");
		String otherRun = new InMemoryBroadcaster(new SseEncoder(), 5).publish("room.1", "elsewhere");
		Client stale = subscribe("room.1", otherRun);
		this.broadcaster.publish("room.1", "live");
		for (Client client : List.of(unknown, stale)) {
			List<SseMessage> events = client.events();
			assertThat(events).extracting(SseMessage::event).containsExactly(Broadcaster.RESET_EVENT, "message");
			assertThat(events.get(0).data()).isEqualTo("room.1");
			assertThat(events.get(1).data()).isEqualTo("live");
		}
	}

	@Test
	void startsWithResetWhenTheIdIsOlderThanTheWindow() {
		Client first = subscribe("t", null);
		this.broadcaster.publish("t", "1");
		String old = first.lastEventId();
		for (int i = 2; i <= 7; i++) {
			this.broadcaster.publish("t", String.valueOf(i));
		}
		Client late = subscribe("t", old);
		assertThat(late.events()).extracting(SseMessage::event).containsExactly(Broadcaster.RESET_EVENT);
		// resuming from the reset's id loses nothing after it
		String afterReset = late.lastEventId();
		late.channel.close();
		this.broadcaster.publish("t", "8");
		assertThat(subscribe("t", afterReset).data()).containsExactly("8");
		// the window's edge: the oldest held event's predecessor is still resumable
		Client edge = subscribe("t", null);
		assertThat(edge.events()).isEmpty();
	}

	@Test
	void withoutReplayResumesOnlyAClientThatMissedNothing() {
		InMemoryBroadcaster none = new InMemoryBroadcaster(new SseEncoder(), 0);
		Client client = new Client(8, null);
		none.subscribe("t", client.channel);
		none.publish("t", "1");
		String seen = client.lastEventId();
		Client caughtUp = new Client(8, seen);
		none.subscribe("t", caughtUp.channel);
		assertThat(caughtUp.events()).isEmpty();
		none.publish("t", "2");
		Client behind = new Client(8, seen);
		none.subscribe("t", behind.channel);
		assertThat(behind.events()).extracting(SseMessage::event).containsExactly(Broadcaster.RESET_EVENT);
	}

	@Test
	void closedChannelsLeaveAndIdleTopicsAreForgotten() {
		InMemoryBroadcaster none = new InMemoryBroadcaster(new SseEncoder(), 0);
		Client client = new Client(8, null);
		none.subscribe("t", client.channel);
		assertThat(none.topics()).containsEntry("t", new Broadcaster.TopicInfo(1, 0, 0));
		client.channel.close();
		this.drains.runAll();
		assertThat(none.topics()).isEmpty();
		none.publish("nobody-listens", "x");
		assertThat(none.topics()).isEmpty();
		this.broadcaster.publish("kept", "x");
		assertThat(this.broadcaster.topics()).containsEntry("kept", new Broadcaster.TopicInfo(0, 1, 5));
	}

	@Test
	void aQuietTopicForgottenWhenItsLastSubscriberLeftResumesWithoutAReset() {
		Client first = subscribe("inbox.ada", null);
		String position = first.lastEventId();
		first.channel.close(CloseReason.CLIENT_GONE);
		this.drains.runAll();
		assertThat(this.broadcaster.topics()).doesNotContainKey("inbox.ada");
		// the rest of the application keeps publishing meanwhile: the global sequence moves on
		for (int i = 0; i < 20; i++) {
			this.broadcaster.publish("elsewhere", "x" + i);
		}
		Client back = subscribe("inbox.ada", position);
		assertThat(back.events()).as("nothing was published to it: nothing missed, no reset").isEmpty();
		this.broadcaster.publish("inbox.ada", "hello");
		assertThat(back.data()).containsExactly("hello");
	}

	@Test
	void aTopicForgottenWithItsEventsResetsOnlyTheClientsThatMissedSome() {
		long[] now = { 0 };
		InMemoryBroadcaster quiet = new InMemoryBroadcaster(new SseEncoder(), 5, Duration.ofMinutes(10),
				SseDefaults.REPLAY_MAX_BYTES,
				() -> now[0]);
		Client client = new Client(8, null);
		quiet.subscribe("t", client.channel);
		quiet.publish("t", "1");
		String afterOne = client.lastEventId();
		quiet.publish("t", "2");
		String afterTwo = client.lastEventId();
		client.channel.close(CloseReason.CLIENT_GONE);
		this.drains.runAll();
		now[0] += Duration.ofMinutes(10).toNanos();
		assertThat(quiet.sweep()).isOne();
		assertThat(quiet.topics()).isEmpty();
		Client caughtUp = new Client(8, afterTwo);
		quiet.subscribe("t", caughtUp.channel);
		assertThat(caughtUp.events()).as("it had everything: no reset").isEmpty();
		Client behind = new Client(8, afterOne);
		quiet.subscribe("t", behind.channel);
		assertThat(behind.events()).extracting(SseMessage::event).containsExactly(Broadcaster.RESET_EVENT);
	}

	@Test
	void topicsWithoutSubscribersExpireAfterTheIdleTimeAndTopicsWithThemDoNot() {
		long[] now = { 0 };
		InMemoryBroadcaster expiring = new InMemoryBroadcaster(new SseEncoder(), 5, Duration.ofMinutes(10),
				SseDefaults.REPLAY_MAX_BYTES, () -> now[0]);
		for (int i = 0; i < 10; i++) {
			expiring.publish("quiet." + i, "x");
		}
		Client listener = new Client(8, null);
		expiring.subscribe("busy", listener.channel);
		expiring.publish("busy", "x");
		now[0] += Duration.ofMinutes(9).toNanos();
		assertThat(expiring.sweep()).isZero();
		now[0] += Duration.ofMinutes(1).toNanos();
		// any later call sweeps once it is due; nothing needs a thread of its own
		expiring.publish("busy", "y");
		assertThat(expiring.topics()).containsOnlyKeys("busy");
	}

	@Test
	void refusesANewTopicPastTheLimitWithADocumentedExceptionUntilRoomIsMade() {
		long[] now = { 0 };
		InMemoryBroadcaster full = new InMemoryBroadcaster(new SseEncoder(), 5, Duration.ofMinutes(10),
				SseDefaults.REPLAY_MAX_BYTES,
				() -> now[0]);
		for (int i = 0; i < InMemoryBroadcaster.MAX_TOPICS; i++) {
			full.publish("topic." + i, "x");
		}
		assertThatExceptionOfType(TooManyTopicsException.class).isThrownBy(() -> full.publish("one.more", "x"))
			.withMessageContaining("maximum of 100000 topics");
		Client client = new Client(8, null);
		assertThatExceptionOfType(TooManyTopicsException.class)
			.isThrownBy(() -> full.subscribe("one.more", client.channel));
		assertThat(full.refusedTopics()).isEqualTo(2);
		full.publish("topic.7", "an existing topic still takes events");
		now[0] += Duration.ofMinutes(11).toNanos();
		full.publish("one.more", "x");
		assertThat(full.topics()).containsOnlyKeys("one.more");
	}

	@Test
	void aReplayWindowIsAllocatedAsItFills() {
		ReplayRing ring = new ReplayRing(1000);
		assertThat(ring.slots()).isZero();
		ring.add(1, "1", EncodedEvents.of(new byte[] { 'x' }));
		assertThat(ring.slots()).isEqualTo(4);
		for (int i = 2; i <= 5; i++) {
			ring.add(i, String.valueOf(i), EncodedEvents.of(new byte[] { 'x' }));
		}
		assertThat(ring.slots()).isEqualTo(8);
		assertThat(ring.after(3, Long.MAX_VALUE)).hasSize(2);
		for (int i = 6; i <= 2000; i++) {
			ring.add(i, String.valueOf(i), EncodedEvents.of(new byte[] { 'x' }));
		}
		assertThat(ring.slots()).isEqualTo(1000);
		assertThat(ring.size()).isEqualTo(1000);
		assertThat(ring.sequenceOf("1001")).isEqualTo(1001);
		assertThat(ring.sequenceOf("1000")).isEqualTo(-1);
	}

	@Test
	void aSubscribersOwnDropOldestSendsNeverPushOutTopicEventsOrItsPosition() {
		RecordingTransport transport = new RecordingTransport();
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(4, OverflowPolicy.DROP_OLDEST, Duration.ofSeconds(5)))
			.build();
		channel.send("own 1");
		this.broadcaster.subscribe("t", channel);
		this.broadcaster.publish("t", "topic 1");
		this.broadcaster.publish("t", "topic 2");
		// full: [own 1, position, topic 1, topic 2]; own sends may push out only own events
		assertThat(channel.send("own 2")).isTrue();
		assertThat(channel.send("own 3")).isTrue();
		assertThat(channel.eventsDropped()).isEqualTo(2);
		channel.start();
		this.drains.runAll();
		List<SseMessage> events = new ArrayList<>();
		SseParser parser = new SseParser(events::add);
		parser.feed(transport.text().getBytes(StandardCharsets.UTF_8));
		assertThat(events).extracting(SseMessage::data).containsExactly("topic 1", "topic 2", "own 3");
		assertThat(parser.lastEventId()).as("the position and the topic's ids all arrived").isNotEmpty();
		// a topic event that finds no room still closes the subscriber rather than dropping silently
		for (int i = 0; i < 3; i++) {
			channel.send("own again " + i);
		}
		this.broadcaster.publish("t", "topic 3");
		assertThat(channel.closeReason()).isEmpty();
		this.broadcaster.publish("t", "topic 4");
		this.drains.runAll();
		assertThat(channel.closeReason()).contains(CloseReason.SLOW_CONSUMER);
	}

	@Test
	void aReplaySharesTheTopicsEncodedEventsInsteadOfCopyingThem() {
		ReplayRing ring = new ReplayRing(10);
		EncodedEvents first = EncodedEvents.of(new byte[] { 'a' });
		EncodedEvents second = EncodedEvents.of(new byte[] { 'b' });
		ring.add(1, "1", first);
		ring.add(2, "2", second);
		EncodedEvents[] replay = ring.after(0, Long.MAX_VALUE);
		assertThat(replay).hasSize(2);
		assertThat(replay[0]).isSameAs(first);
		assertThat(replay[1]).isSameAs(second);
		assertThat(ring.after(2, Long.MAX_VALUE)).isEmpty();
		assertThat(ring.after(0, 1)).as("more than the byte limit").isNull();
	}

	@Test
	void aClientThatMissedMoreThanOneReplayMayHoldGetsAResetInstead() {
		InMemoryBroadcaster bounded = new InMemoryBroadcaster(new SseEncoder(), 100, Duration.ofMinutes(10), 2048);
		Client first = new Client(8, null);
		bounded.subscribe("t", first.channel);
		String payload = "x".repeat(1000);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ids.add(bounded.publish("t", payload));
		}
		Client farBehind = new Client(8, ids.get(0));
		bounded.subscribe("t", farBehind.channel);
		assertThat(farBehind.events()).extracting(SseMessage::event).containsExactly(Broadcaster.RESET_EVENT);
		Client nearlyThere = new Client(8, ids.get(8));
		bounded.subscribe("t", nearlyThere.channel);
		assertThat(nearlyThere.events()).extracting(SseMessage::lastEventId).containsExactly(ids.get(9));
	}

	@Test
	void subscribingAClosedChannelAttachesNothing() {
		Client client = new Client(8, null);
		client.channel.close();
		this.broadcaster.subscribe("t", client.channel);
		assertThat(this.broadcaster.topics()).doesNotContainKey("t");
	}

	@Test
	void validatesTopicNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.publish("", "x"))
			.withMessage("SSE topic name must not be empty: name the topic, such as \"room.42\"");
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.publish("a\nb", "x"))
			.withMessage("SSE topic name must not contain control characters (got \"a\\nb\"): use printable text");
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.publish("t".repeat(201), "x"))
			.withMessageStartingWith("SSE topic name is 201 characters");
		assertThatIllegalArgumentException().isThrownBy(() -> this.broadcaster.publish("bad\ud800", "x"))
			.withMessageStartingWith("SSE topic name contains an unpaired UTF-16 surrogate");
		assertThat(this.broadcaster.topics()).isEmpty();
	}

	@Test
	void reportsTopicState() {
		subscribe("b", null);
		this.broadcaster.publish("a", "1");
		this.broadcaster.publish("a", "2");
		assertThat(this.broadcaster.topics()).isEqualTo(
				Map.of("a", new Broadcaster.TopicInfo(0, 2, 5), "b", new Broadcaster.TopicInfo(1, 0, 5)));
		assertThat(this.broadcaster.topics().keySet()).containsExactly("a", "b");
	}

}

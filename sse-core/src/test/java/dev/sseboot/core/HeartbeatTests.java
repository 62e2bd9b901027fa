package dev.sseboot.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** Heartbeats driven by a controllable clock and explicit ticks: no sleeping. */
class HeartbeatTests {

	private static final Duration INTERVAL = Duration.ofSeconds(15);

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private final Heartbeat heartbeat = Heartbeat.manual(this.clock::get);

	private final RecordingTransport transport = new RecordingTransport();

	private final ManualExecutor drains = new ManualExecutor();

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	private DefaultEventChannel channel() {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).executor(this.drains)
			.nanoClock(this.clock::get).heartbeat(this.heartbeat, INTERVAL).build();
		channel.onClose(this.closes::add);
		channel.start();
		return channel;
	}

	private void advance(Duration by) {
		this.clock.addAndGet(by.toNanos());
		this.heartbeat.tick();
		this.drains.runAll();
	}

	@Test
	void sendsCommentOnChannelIdleForTheInterval() {
		channel();
		advance(INTERVAL.minusNanos(1));
		assertThat(this.transport.writes).isEmpty();
		advance(Duration.ofNanos(1));
		assertThat(this.transport.text()).isEqualTo(":\n\n");
		advance(INTERVAL.minusNanos(1));
		assertThat(this.transport.writes).hasSize(1);
		advance(Duration.ofNanos(1));
		assertThat(this.transport.text()).isEqualTo(":\n\n:\n\n");
	}

	@Test
	void skipsChannelThatWroteRecently() {
		DefaultEventChannel channel = channel();
		advance(INTERVAL.minusSeconds(1));
		channel.send("busy");
		this.drains.runAll();
		advance(Duration.ofSeconds(1));
		assertThat(this.transport.text()).isEqualTo("data: busy\n\n");
		advance(INTERVAL.minusSeconds(1));
		assertThat(this.transport.text()).isEqualTo("data: busy\n\n:\n\n");
		assertThat(channel.eventsSent()).isEqualTo(1);
	}

	@Test
	void skipsChannelWithEventsQueued() {
		DefaultEventChannel channel = channel();
		channel.send("queued");
		this.clock.addAndGet(INTERVAL.toNanos());
		this.heartbeat.tick();
		this.drains.runAll();
		assertThat(this.transport.text()).isEqualTo("data: queued\n\n");
	}

	@Test
	void aHeartbeatRequestAnsweredByAnEventLeavesLaterTicksFreeToAskAgain() {
		// the interleaving: while a drain writes "a" (which the client does not take at once), a tick finds the
		// channel idle and asks for a heartbeat, and a send queues "b"; the client takes "a", and the next drain
		// writes "b", which answers the heartbeat request: the next idle interval must get a heartbeat again
		AtomicReference<DefaultEventChannel> self = new AtomicReference<>();
		NonBlockingTransport racing = new NonBlockingTransport() {

			private boolean raced;

			@Override
			public void write(byte[] bytes) throws IOException {
				super.write(bytes);
				if (!this.raced) {
					this.raced = true;
					HeartbeatTests.this.clock.addAndGet(INTERVAL.toNanos());
					HeartbeatTests.this.heartbeat.tick();
					self.get().send("b");
				}
			}

		};
		DefaultEventChannel channel = DefaultEventChannel.builder(racing).executor(this.drains)
			.nanoClock(this.clock::get).heartbeat(this.heartbeat, INTERVAL).build();
		self.set(channel);
		channel.start();
		racing.stalled = true;
		channel.send("a");
		this.drains.runAll();
		racing.stalled = false;
		racing.release();
		this.drains.runAll();
		assertThat(racing.text()).isEqualTo("data: a\n\ndata: b\n\n");
		this.clock.addAndGet(INTERVAL.toNanos());
		this.heartbeat.tick();
		this.drains.runAll();
		assertThat(racing.text()).as("a quiet stream still gets its heartbeat")
			.isEqualTo("data: a\n\ndata: b\n\n:\n\n");
		this.clock.addAndGet(INTERVAL.toNanos());
		this.heartbeat.tick();
		this.drains.runAll();
		assertThat(racing.text()).isEqualTo("data: a\n\ndata: b\n\n:\n\n:\n\n");
		assertThat(racing.violations).isEmpty();
	}

	@Test
	void failedHeartbeatClosesChannelAsClientGoneAndUnregistersIt() {
		DefaultEventChannel channel = channel();
		assertThat(this.heartbeat.size()).isEqualTo(1);
		this.transport.failWrites = true;
		advance(INTERVAL);
		assertThat(this.closes).containsExactly(CloseReason.CLIENT_GONE);
		assertThat(channel.isOpen()).isFalse();
		assertThat(this.heartbeat.size()).isZero();
	}

	@Test
	void closedChannelGetsNoHeartbeat() {
		DefaultEventChannel channel = channel();
		channel.close();
		this.drains.runAll();
		advance(INTERVAL.multipliedBy(3));
		assertThat(this.transport.writes).isEmpty();
		assertThat(this.heartbeat.size()).isZero();
	}

	@Test
	void unstartedChannelGetsNoHeartbeat() {
		DefaultEventChannel.builder(this.transport).executor(this.drains).nanoClock(this.clock::get)
			.heartbeat(this.heartbeat, INTERVAL).build();
		advance(INTERVAL.multipliedBy(2));
		assertThat(this.transport.writes).isEmpty();
	}

	@Test
	void zeroIntervalDisablesHeartbeat() {
		DefaultEventChannel.builder(this.transport).executor(this.drains).heartbeat(this.heartbeat, Duration.ZERO)
			.build();
		assertThat(this.heartbeat.size()).isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> DefaultEventChannel.builder(this.transport)
			.heartbeat(this.heartbeat, Duration.ofSeconds(-1)).build())
			.withMessageStartingWith("SSE heartbeat interval must not be negative");
	}

	@Test
	void manyChannelsShareOneTimerAndOnlyIdleOnesBeat() {
		List<RecordingTransport> transports = new CopyOnWriteArrayList<>();
		List<DefaultEventChannel> channels = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 100; i++) {
			RecordingTransport t = new RecordingTransport();
			transports.add(t);
			DefaultEventChannel c = DefaultEventChannel.builder(t).executor(this.drains).nanoClock(this.clock::get)
				.heartbeat(this.heartbeat, INTERVAL).build();
			c.start();
			channels.add(c);
		}
		advance(INTERVAL.minusSeconds(1));
		for (int i = 0; i < 100; i += 2) {
			channels.get(i).send("x");
		}
		this.drains.runAll();
		advance(Duration.ofSeconds(1));
		for (int i = 0; i < 100; i++) {
			assertThat(transports.get(i).text()).isEqualTo((i % 2 == 0) ? "data: x\n\n" : ":\n\n");
		}
	}

	@Test
	void aTickVisitsTheChannelsDueNotAllThatAreRegistered() {
		// 1,000 channels registered 15 ms apart over one interval, then a tick a second for two intervals
		List<RecordingTransport> transports = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			RecordingTransport t = new RecordingTransport();
			transports.add(t);
			DefaultEventChannel.builder(t).executor(this.drains).nanoClock(this.clock::get)
				.heartbeat(this.heartbeat, INTERVAL).build().start();
			this.clock.addAndGet(Duration.ofMillis(15).toNanos());
		}
		this.drains.runAll();
		List<Integer> visited = new ArrayList<>();
		for (int second = 1; second <= 30; second++) {
			advance(Duration.ofSeconds(1));
			visited.add(this.heartbeat.lastVisited());
		}
		// about 1,000 / 15 a tick: those whose interval ended in that second
		assertThat(visited).allSatisfy((count) -> assertThat(count).isBetween(60, 75));
		assertThat(transports).allSatisfy((t) -> assertThat(t.text()).isEqualTo(":\n\n:\n\n"));
	}

	@Test
	void aChannelThatKeepsWritingIsLookedAtOnceAnIntervalAndNeverBeats() {
		List<DefaultEventChannel> channels = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			channels.add(channel());
		}
		int visits = 0;
		for (int second = 1; second <= 60; second++) {
			channels.forEach((channel) -> channel.send("x"));
			advance(Duration.ofSeconds(1));
			visits += this.heartbeat.lastVisited();
		}
		// each is found to have written since at each interval's end, and filed again: 4 visits in 60 s, not 60
		assertThat(visits).isEqualTo(100 * 4);
		assertThat(this.transport.text()).doesNotContain(":\n\n:");
		assertThat(this.transport.writes).hasSize(100 * 60);
	}

	@Test
	void anIntervalLongerThanOneTurnOfTheWheelStillBeatsOnTime() {
		Heartbeat coarse = Heartbeat.manual(this.clock::get);
		Duration interval = Duration.ofMinutes(10);
		DefaultEventChannel.builder(this.transport).executor(this.drains).nanoClock(this.clock::get)
			.heartbeat(coarse, interval).build().start();
		this.drains.runAll();
		for (long ms = 0; ms < interval.toMillis() - 1_000; ms += 1_000) {
			this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
			coarse.tick();
		}
		this.drains.runAll();
		assertThat(this.transport.writes).isEmpty();
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		coarse.tick();
		this.drains.runAll();
		assertThat(this.transport.text()).isEqualTo(":\n\n");
	}

	@Test
	void aFasterTickKeepsEveryChannelDueWhenItWas() {
		try (Heartbeat owned = Heartbeat.start(Duration.ofSeconds(1))) {
			RecordingTransport slow = new RecordingTransport();
			DefaultEventChannel.builder(slow).executor(this.drains).heartbeat(owned, Duration.ofSeconds(30)).build()
				.start();
			assertThat(owned.size()).isEqualTo(1);
			RecordingTransport fast = new RecordingTransport();
			DefaultEventChannel.builder(fast).heartbeat(owned, Duration.ofMillis(200)).build().start();
			assertThat(owned.tickPeriod()).isEqualTo(Duration.ofMillis(50));
			assertThat(owned.size()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(10)).until(() -> fast.text().startsWith(":\n\n:\n\n"));
			this.drains.runAll();
			assertThat(slow.writes).as("not due for 30 s").isEmpty();
		}
	}

	@Test
	void tickForStaysBetweenFiftyMillisAndOneSecond() {
		assertThat(Heartbeat.tickFor(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(1));
		assertThat(Heartbeat.tickFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
		assertThat(Heartbeat.tickFor(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void ownedTimerTicksFasterForShorterIntervals() {
		try (Heartbeat owned = Heartbeat.start(Duration.ofSeconds(1))) {
			DefaultEventChannel.builder(this.transport).heartbeat(owned, Duration.ofSeconds(30)).build();
			assertThat(owned.tickPeriod()).isEqualTo(Duration.ofSeconds(1));
			DefaultEventChannel.builder(this.transport).heartbeat(owned, Duration.ofMillis(400)).build();
			assertThat(owned.tickPeriod()).isEqualTo(Duration.ofMillis(100));
		}
	}

	@Test
	void scheduledHeartbeatBeatsWithoutBeingTicked() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try (Heartbeat scheduled = Heartbeat.on(scheduler, Duration.ofMillis(20))) {
			RecordingTransport t = new RecordingTransport();
			DefaultEventChannel channel = DefaultEventChannel.builder(t).heartbeat(scheduled, Duration.ofMillis(50))
				.build();
			channel.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> t.text().startsWith(":\n\n:\n\n"));
			assertThat(t.writerThreads).noneMatch((name) -> name.contains("pool"));
		}
		finally {
			scheduler.shutdownNow();
		}
	}

}

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads against one channel, with the outcomes that must never happen asserted: an accepted event lost or
 * duplicated, order broken per producer, a close reported twice, a transport call after close or two at once.
 */
class EventChannelConcurrencyTests {

	private static final int PRODUCERS = 8;

	private final ExecutorService pool = Executors.newCachedThreadPool();

	private final ExecutorService drains = Executors.newFixedThreadPool(4);

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		this.drains.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void manyProducersUnderBlockLoseNothingDuplicateNothingAndKeepOrder() throws Exception {
		int perProducer = 5_000;
		RecordingTransport transport = new RecordingTransport();
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(16, OverflowPolicy.BLOCK, Duration.ofMinutes(1))).build();
		List<CloseReason> closes = new CopyOnWriteArrayList<>();
		channel.onClose(closes::add);
		channel.start();
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int producer = p;
			producers.add(this.pool.submit(() -> {
				go.await();
				for (int i = 0; i < perProducer; i++) {
					assertThat(channel.send(producer + ":" + i)).isTrue();
				}
				return null;
			}));
		}
		go.countDown();
		for (var producer : producers) {
			producer.get(60, TimeUnit.SECONDS);
		}
		channel.close();
		await().atMost(Duration.ofSeconds(30)).until(() -> !closes.isEmpty());

		assertThat(eventsPerProducerInOrder(transport)).hasSize(PRODUCERS).containsOnly(perProducer);
		assertThat(closes).containsExactly(CloseReason.COMPLETED);
		assertThat(channel.eventsSent()).isEqualTo((long) PRODUCERS * perProducer);
		assertThat(channel.eventsDropped()).isZero();
		assertThat(transport.closes).hasValue(1);
		assertThat(transport.violations).isEmpty();
		// coalescing: contended sends go out in fewer writes than events
		assertThat(transport.writes.size()).isLessThan(PRODUCERS * perProducer);
	}

	@RepeatedTest(20)
	void overATransportThatIsOftenNotReadyNothingIsLostOrReorderedAndItCompletesOnce() throws Exception {
		int perProducer = 2_000;
		NonBlockingTransport transport = new NonBlockingTransport();
		transport.stallChance = 0.5;
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(16, OverflowPolicy.BLOCK, Duration.ofMinutes(1))).build();
		List<CloseReason> closes = new CopyOnWriteArrayList<>();
		channel.onClose(closes::add);
		channel.start();
		AtomicBoolean done = new AtomicBoolean();
		// the container: takes pending bytes after a moment, then calls back, on a thread of its own
		transport.releaseAfterPauses(this.pool, done, 200_000);
		List<Future<?>> producers = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			int producer = p;
			producers.add(this.pool.submit(() -> {
				for (int i = 0; i < perProducer; i++) {
					assertThat(channel.send(producer + ":" + i)).isTrue();
				}
				return null;
			}));
		}
		for (var producer : producers) {
			producer.get(60, TimeUnit.SECONDS);
		}
		channel.close();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> !closes.isEmpty());
		}
		finally {
			done.set(true);
		}
		assertThat(eventsPerProducerInOrder(transport))
			.as("events per producer (closed %s, %d dropped)", closes, channel.eventsDropped())
			.hasSize(4)
			.containsOnly(perProducer);
		assertThat(closes).containsExactly(CloseReason.COMPLETED);
		assertThat(transport.gracefulCloses).hasValue(1);
		assertThat(transport.violations).isEmpty();
	}

	@RepeatedTest(30)
	void gracefulCloseRacingWithSendsWritesEveryAcceptedEventAndClosesOnce() throws Exception {
		RecordingTransport transport = new RecordingTransport();
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(64, OverflowPolicy.BLOCK, Duration.ofMinutes(1))).build();
		List<CloseReason> closes = new CopyOnWriteArrayList<>();
		channel.onClose(closes::add);
		channel.start();
		AtomicLong accepted = new AtomicLong();
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> producers = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			producers.add(this.pool.submit(() -> {
				go.await();
				int i = 0;
				while (channel.send("e" + i++)) {
					accepted.incrementAndGet();
				}
				return null;
			}));
		}
		go.countDown();
		await().until(() -> accepted.get() > ThreadLocalRandom.current().nextInt(1, 500));
		this.pool.execute(() -> channel.close());
		this.pool.execute(() -> channel.close());
		for (var producer : producers) {
			producer.get(30, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> !closes.isEmpty());
		assertThat(closes).containsExactly(CloseReason.COMPLETED);
		assertThat(parse(transport.text())).hasSize((int) accepted.get());
		assertThat(channel.eventsSent()).isEqualTo(accepted.get());
		assertThat(channel.eventsDropped()).isZero();
		assertThat(transport.closes).hasValue(1);
		assertThat(transport.violations).isEmpty();
	}

	@RepeatedTest(30)
	void abruptClosesRacingWithDrainAndSendsAccountForEveryEventAndCloseOnce() throws Exception {
		RecordingTransport transport = new RecordingTransport();
		List<CloseReason> closes = new CopyOnWriteArrayList<>();
		AtomicLong listenerCloses = new AtomicLong();
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(8, OverflowPolicy.DROP_OLDEST, Duration.ZERO))
			.listener(new ChannelListener() {

				@Override
				public void onClosed(EventChannel ch, CloseReason reason) {
					listenerCloses.incrementAndGet();
				}

			})
			.build();
		channel.onClose(closes::add);
		channel.start();
		AtomicLong offered = new AtomicLong();
		CountDownLatch go = new CountDownLatch(1);
		List<Future<?>> producers = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			producers.add(this.pool.submit(() -> {
				go.await();
				while (channel.send("x")) {
					offered.incrementAndGet();
				}
				return null;
			}));
		}
		go.countDown();
		await().until(() -> offered.get() > ThreadLocalRandom.current().nextInt(1, 300));
		CloseReason[] reasons = { CloseReason.CLIENT_GONE, CloseReason.TIMEOUT, CloseReason.SHUTDOWN };
		CountDownLatch closers = new CountDownLatch(1);
		for (CloseReason reason : reasons) {
			this.pool.submit(() -> {
				closers.await();
				channel.close(reason);
				return null;
			});
		}
		this.pool.submit(() -> {
			closers.await();
			channel.close();
			return null;
		});
		closers.countDown();
		for (var producer : producers) {
			producer.get(30, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> transport.closes.get() == 1 && !closes.isEmpty());
		assertThat(closes).hasSize(1);
		assertThat(listenerCloses).hasValue(1);
		assertThat(transport.closes).hasValue(1);
		assertThat(transport.violations).isEmpty();
		// every event offered and accepted is either written or counted as dropped, never both, never neither
		assertThat(channel.eventsSent() + channel.eventsDropped()).isEqualTo(offered.get());
		assertThat(parse(transport.text())).hasSize((int) channel.eventsSent());
	}

	@RepeatedTest(10)
	void heartbeatsRacingSendsAndAClientThatLagsNeverStopForGood() throws Exception {
		NonBlockingTransport transport = new NonBlockingTransport();
		transport.stallChance = 0.3;
		Heartbeat heartbeat = Heartbeat.manual();
		DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
			.settings(new ChannelSettings(64, OverflowPolicy.BLOCK, Duration.ofMinutes(1)))
			.heartbeat(heartbeat, Duration.ofNanos(20_000))
			.build();
		channel.start();
		AtomicBoolean done = new AtomicBoolean();
		// the container, taking pending bytes after a moment; and the timer, ticking all the time
		transport.releaseAfterPauses(this.pool, done, 100_000);
		this.pool.submit(() -> {
			while (!done.get()) {
				heartbeat.tick();
				LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000, 30_000));
			}
			return null;
		});
		List<Future<?>> producers = new ArrayList<>();
		for (int p = 0; p < 2; p++) {
			int producer = p;
			producers.add(this.pool.submit(() -> {
				for (int i = 0; i < 2_000; i++) {
					assertThat(channel.send(producer + ":" + i)).isTrue();
					LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 40_000));
				}
				return null;
			}));
		}
		try {
			for (var producer : producers) {
				producer.get(60, TimeUnit.SECONDS);
			}
			// the stream is quiet now: whatever raced before, a heartbeat must come after the last event
			await().atMost(Duration.ofSeconds(10)).until(() -> transport.text().endsWith(":\n\n"));
		}
		finally {
			done.set(true);
		}
		assertThat(eventsPerProducerInOrder(transport)).hasSize(2).containsOnly(2_000);
		assertThat(transport.violations).isEmpty();
	}

	/**
	 * How many events of each producer ({@code "<producer>:<seq>"} data) were written, asserting on the way that
	 * none was lost, duplicated or reordered.
	 */
	private static Collection<Integer> eventsPerProducerInOrder(RecordingTransport transport) {
		Map<Integer, Integer> next = new HashMap<>();
		for (SseMessage message : parse(transport.text())) {
			String[] parts = message.data().split(":");
			int producer = Integer.parseInt(parts[0]);
			int seq = Integer.parseInt(parts[1]);
			assertThat(seq).as("producer %d: lost, duplicated or reordered", producer)
				.isEqualTo(next.getOrDefault(producer, 0));
			next.put(producer, seq + 1);
		}
		return next.values();
	}

	private static List<SseMessage> parse(String text) {
		List<SseMessage> messages = new ArrayList<>();
		new SseParser(messages::add).feed(text.getBytes(StandardCharsets.UTF_8));
		return messages;
	}

}

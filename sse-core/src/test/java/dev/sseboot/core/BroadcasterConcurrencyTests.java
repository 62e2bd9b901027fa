package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 8 threads publish to one topic while subscribers disconnect and resume with Last-Event-ID at random points; each
 * subscriber's events over all its sessions must be exactly the topic's sequence: no gap, no duplicate, in order.
 */
class BroadcasterConcurrencyTests {

	private static final int PUBLISHERS = 8;

	private static final int PER_PUBLISHER = 400;

	private static final int SUBSCRIBERS = 4;

	private final ExecutorService pool = Executors.newCachedThreadPool();

	private final ExecutorService drains = Executors.newFixedThreadPool(4);

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		this.drains.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@RepeatedTest(3)
	void resumingSubscribersSeeTheExactSequenceWhilePublishingGoesOn() throws Exception {
		InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(new SseEncoder(), PUBLISHERS * PER_PUBLISHER);
		ConcurrentSkipListSet<Long> published = new ConcurrentSkipListSet<>();
		AtomicBoolean publishing = new AtomicBoolean(true);
		// every subscriber's first session subscribes before publishing starts, so each is owed the whole sequence
		CountDownLatch go = new CountDownLatch(SUBSCRIBERS);
		List<Future<List<SseMessage>>> subscribers = new ArrayList<>();
		for (int s = 0; s < SUBSCRIBERS; s++) {
			subscribers.add(this.pool.submit(() -> subscribeInSessions(broadcaster, publishing, go)));
		}
		List<Future<?>> publishers = new ArrayList<>();
		for (int p = 0; p < PUBLISHERS; p++) {
			int publisher = p;
			publishers.add(this.pool.submit(() -> {
				go.await();
				for (int i = 0; i < PER_PUBLISHER; i++) {
					String id = broadcaster.publish("t", publisher + ":" + i);
					published.add(sequence(id));
				}
				return null;
			}));
		}
		for (Future<?> publisher : publishers) {
			publisher.get(60, TimeUnit.SECONDS);
		}
		publishing.set(false);
		List<Long> expected = List.copyOf(published);
		assertThat(expected).hasSize(PUBLISHERS * PER_PUBLISHER);
		for (Future<List<SseMessage>> subscriber : subscribers) {
			List<SseMessage> received = subscriber.get(60, TimeUnit.SECONDS);
			assertThat(received).extracting(SseMessage::event).doesNotContain(Broadcaster.RESET_EVENT);
			List<Long> sequences = received.stream().map((m) -> sequence(m.lastEventId())).toList();
			assertThat(sequences).as("no gap, no duplicate, in order; first difference at %s of %d/%d",
					firstDifference(sequences, expected), sequences.size(), expected.size()).isEqualTo(expected);
		}
	}

	/** Sessions of random length, each resuming from the last id the previous one saw, until publishing ends. */
	private List<SseMessage> subscribeInSessions(InMemoryBroadcaster broadcaster, AtomicBoolean publishing,
			CountDownLatch subscribed) throws Exception {
		List<SseMessage> all = new ArrayList<>();
		String lastEventId = null;
		boolean last = false;
		while (!last) {
			last = !publishing.get();
			RecordingTransport transport = new RecordingTransport();
			DefaultEventChannel channel = DefaultEventChannel.builder(transport).executor(this.drains)
				.lastEventId(lastEventId)
				.settings(new ChannelSettings(1_000_000, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.build();
			AtomicBoolean closed = new AtomicBoolean();
			channel.onClose((reason) -> closed.set(true));
			channel.start();
			broadcaster.subscribe("t", channel);
			subscribed.countDown();
			int until = ThreadLocalRandom.current().nextInt(1, 300);
			if (!last) {
				await().atMost(Duration.ofSeconds(30))
					.until(() -> !publishing.get() || countEvents(transport) >= until);
			}
			channel.close();
			await().atMost(Duration.ofSeconds(30)).untilTrue(closed);
			SseParser parser = new SseParser(all::add, (lastEventId != null) ? lastEventId : "", 1 << 26);
			parser.feed(transport.text().getBytes(StandardCharsets.UTF_8));
			lastEventId = parser.lastEventId();
		}
		return all;
	}

	private static String firstDifference(List<Long> actual, List<Long> expected) {
		for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
			if (!actual.get(i).equals(expected.get(i))) {
				return i + " (got " + actual.subList(Math.max(0, i - 2), Math.min(actual.size(), i + 3)) + ", expected "
						+ expected.subList(Math.max(0, i - 2), Math.min(expected.size(), i + 3)) + ")";
			}
		}
		return String.valueOf(Math.min(actual.size(), expected.size()));
	}

	private static int countEvents(RecordingTransport transport) {
		String text = transport.text();
		int count = 0;
		for (int i = text.indexOf("data: "); i >= 0; i = text.indexOf("data: ", i + 1)) {
			count++;
		}
		return count;
	}

	private static long sequence(String id) {
		return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
	}

}

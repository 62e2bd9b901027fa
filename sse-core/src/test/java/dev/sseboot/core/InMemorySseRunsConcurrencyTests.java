package dev.sseboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run under real threads: a publisher produces on its own thread while clients that read at uneven paces leave
 * at random moments and attach again with the last id they received, as a browser does; every client ends with
 * every event of the run exactly once, in order.
 */
class InMemorySseRunsConcurrencyTests {

	private static final int EVENTS = 20_000;

	private static final int CLIENTS = 6;

	private static final Pattern ID = Pattern.compile("^id: [^:\\n]+:(\\d+)$", Pattern.MULTILINE);

	private final ExecutorService pool = Executors.newCachedThreadPool();

	private final ExecutorService drains = Executors.newFixedThreadPool(3);

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		this.drains.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@RepeatedTest(3)
	void clientsThatLeaveAndComeBackGetEveryEventOnceInOrder() throws Exception {
		InMemorySseRuns runs = new InMemorySseRuns(Duration.ofMinutes(1), Duration.ofMinutes(1), EVENTS);
		SubmissionPublisher<Object> publisher = new SubmissionPublisher<>(this.pool, 256);
		SseRun run = runs.start(publisher);
		AtomicBoolean done = new AtomicBoolean();
		List<Future<List<Long>>> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(this.pool.submit(() -> readWithReconnects(run, done)));
		}
		Future<?> producer = this.pool.submit(() -> {
			for (int i = 0; i < EVENTS; i++) {
				publisher.submit(Integer.toString(i));
			}
			publisher.close();
		});
		producer.get(30, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(30)).until(() -> run.outcome().isPresent());
		for (Future<List<Long>> client : clients) {
			List<Long> ids = client.get(60, TimeUnit.SECONDS);
			assertThat(ids).hasSize(EVENTS);
			for (int i = 0; i < EVENTS; i++) {
				assertThat(ids.get(i)).as("event %d", i).isEqualTo(i);
			}
		}
		done.set(true);
		assertThat(run.outcome()).contains(SseRun.Outcome.COMPLETED);
	}

	/** Attaches, reads for a while, leaves, attaches again after the last id it got, until the run ended. */
	private List<Long> readWithReconnects(SseRun run, AtomicBoolean done) throws Exception {
		List<Long> ids = new ArrayList<>();
		String lastEventId = null;
		while (true) {
			NonBlockingTransport transport = new NonBlockingTransport();
			List<CloseReason> closes = new CopyOnWriteArrayList<>();
			DefaultEventChannel channel = DefaultEventChannel.builder(transport)
				.settings(new ChannelSettings(32, OverflowPolicy.BLOCK, Duration.ofSeconds(30)))
				.executor(this.drains)
				.build();
			channel.onClose(closes::add);
			// a network that is busy now and then: half the writes leave it not ready until the reader catches up
			transport.stallChance = 0.5;
			if (!run.attach(channel, lastEventId)) {
				return ids;
			}
			channel.start();
			AtomicBoolean stopReading = new AtomicBoolean();
			Future<?> reader = transport.releaseAfterPauses(this.pool, stopReading, 200_000);
			long leaveAfter = ThreadLocalRandom.current().nextLong(1, 40);
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> !closes.isEmpty() || transport.writes.size() >= leaveAfter);
			if (closes.isEmpty()) {
				channel.close(CloseReason.CLIENT_GONE);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> !closes.isEmpty());
			stopReading.set(true);
			reader.get(10, TimeUnit.SECONDS);
			assertThat(transport.violations).isEmpty();
			Matcher matcher = ID.matcher(transport.text());
			while (matcher.find()) {
				ids.add(Long.parseLong(matcher.group(1)));
				lastEventId = run.id() + ":" + matcher.group(1);
			}
			if (closes.get(0) == CloseReason.COMPLETED || done.get()) {
				return ids;
			}
		}
	}

}

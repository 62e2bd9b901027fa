package dev.sseboot.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publisher streams on the default executors, against other streams and against the application's own sends: a
 * synchronous publisher never holds a drain thread, and demand never takes room that the application's sends need.
 */
class PublisherStreamConcurrencyTests {

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void slowSynchronousPublishersNeverDelayAnotherStreamsWrites() throws Exception {
		List<DefaultEventChannel> generators = new ArrayList<>();
		List<SlowGenerator> publishers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			DefaultEventChannel channel = DefaultEventChannel.builder(new RecordingTransport())
				.settings(new ChannelSettings(4, OverflowPolicy.BLOCK, Duration.ofSeconds(30)))
				.build();
			channel.start();
			SlowGenerator generator = new SlowGenerator(Duration.ofMillis(500));
			channel.stream(generator);
			generators.add(channel);
			publishers.add(generator);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> publishers.stream().allMatch((p) -> p.producing.get() > 0));
		List<Long> latencies = new CopyOnWriteArrayList<>();
		RecordingTransport timed = new RecordingTransport() {

			@Override
			public void write(byte[] bytes) throws IOException {
				long now = System.nanoTime();
				super.write(bytes);
				List<SseMessage> messages = new ArrayList<>();
				new SseParser(messages::add).feed(bytes);
				messages.forEach((message) -> latencies.add(now - Long.parseLong(message.data())));
			}

		};
		DefaultEventChannel third = DefaultEventChannel.builder(timed).build();
		third.start();
		try {
			for (int i = 0; i < 50; i++) {
				third.send(Long.toString(System.nanoTime()));
				LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> latencies.size() == 50);
		}
		finally {
			generators.forEach(DefaultEventChannel::close);
			third.close();
		}
		List<Long> sorted = latencies.stream().sorted().toList();
		Duration p99 = Duration.ofNanos(sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1));
		assertThat(p99).as("p99 of the third stream's events while two publishers produce in request()")
			.isLessThan(Duration.ofMillis(100));
		await().atMost(Duration.ofSeconds(10)).until(() -> publishers.stream().allMatch((p) -> p.cancelled.get()));
	}

	@Test
	void theApplicationsSendsBesideAPublisherNeverCostItAnItemOrTheStream() throws Exception {
		int items = 100_000;
		NonBlockingTransport transport = new NonBlockingTransport();
		transport.stallChance = 0.2;
		DefaultEventChannel channel = DefaultEventChannel.builder(transport)
			.settings(new ChannelSettings(SseDefaults.BUFFER_SIZE, OverflowPolicy.CLOSE, Duration.ofSeconds(30)))
			.build();
		List<CloseReason> closes = new CopyOnWriteArrayList<>();
		channel.onClose(closes::add);
		channel.start();
		AtomicBoolean done = new AtomicBoolean();
		// the client: takes pending bytes after a moment, then the container calls back
		transport.releaseAfterPauses(this.pool, done, 100_000);
		PublisherStreamTests.Items publisher = new PublisherStreamTests.Items(items, channel);
		channel.stream(publisher);
		AtomicInteger ownSent = new AtomicInteger();
		var own = this.pool.submit(() -> {
			while (channel.isOpen()) {
				if (channel.send(SseEvent.of("own", Integer.toString(ownSent.get())))) {
					ownSent.incrementAndGet();
				}
				LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
			}
			return null;
		});
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> !closes.isEmpty());
			own.get(10, TimeUnit.SECONDS);
		}
		finally {
			done.set(true);
		}
		assertThat(closes).containsExactly(CloseReason.COMPLETED);
		assertThat(channel.eventsDropped()).isZero();
		List<SseMessage> written = new ArrayList<>();
		new SseParser(written::add).feed(transport.text().getBytes(StandardCharsets.UTF_8));
		List<String> tokens = written.stream().filter((m) -> m.event().equals("message")).map(SseMessage::data)
			.toList();
		List<String> owns = written.stream().filter((m) -> m.event().equals("own")).map(SseMessage::data).toList();
		assertThat(tokens).hasSize(items);
		for (int i = 0; i < items; i++) {
			assertThat(tokens.get(i)).isEqualTo(Integer.toString(i + 1));
		}
		assertThat(owns).hasSize(ownSent.get());
		assertThat(ownSent.get()).isPositive();
		assertThat(transport.violations).isEmpty();
	}

	/**
	 * A synchronous publisher that takes {@code pause} for each item inside {@code request}, as {@code Flux.generate}
	 * over a blocking source does.
	 */
	static final class SlowGenerator implements Flow.Publisher<Object> {

		final AtomicInteger producing = new AtomicInteger();

		final AtomicBoolean cancelled = new AtomicBoolean();

		private final Duration pause;

		private final AtomicLong next = new AtomicLong();

		SlowGenerator(Duration pause) {
			this.pause = pause;
		}

		@Override
		public void subscribe(Flow.Subscriber<? super Object> subscriber) {
			subscriber.onSubscribe(new Flow.Subscription() {

				@Override
				public void request(long n) {
					SlowGenerator.this.producing.incrementAndGet();
					for (long i = 0; i < n && !SlowGenerator.this.cancelled.get(); i++) {
						// the blocking source's work, simulated
						LockSupport.parkNanos(SlowGenerator.this.pause.toNanos());
						subscriber.onNext("item " + SlowGenerator.this.next.incrementAndGet());
					}
				}

				@Override
				public void cancel() {
					SlowGenerator.this.cancelled.set(true);
				}
			});
		}

	}

}

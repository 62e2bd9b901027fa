package dev.sseboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventChannel#stream}: demand follows the buffer's room against a client that reads slowly, completion and
 * errors end the stream, and every other close cancels the subscription exactly once.
 */
class PublisherStreamTests extends AbstractManualChannelTests {

	private DefaultEventChannel channel(int bufferSize) {
		return channel(bufferSize, OverflowPolicy.BLOCK, Duration.ofSeconds(5));
	}

	@Test
	void demandNeverRunsAheadOfTheBufferAgainstAClientThatReadsSlowly() {
		DefaultEventChannel channel = channel(16);
		Items publisher = new Items(100_000, channel);
		channel.start();
		channel.stream(publisher);
		// a client that takes one write at a time, then stops until it is released again
		this.transport.stalled = true;
		int rounds = 0;
		while (this.closes.isEmpty() && rounds++ < 1_000_000) {
			this.manual.runAll();
			this.transport.release();
		}
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(publisher.maxAhead.get()).isLessThanOrEqualTo(16);
		assertThat(publisher.requested.get()).isGreaterThanOrEqualTo(100_000);
		assertThat(publisher.cancels).hasValue(0);
		assertThat(channel.eventsSent()).isEqualTo(100_000);
		assertThat(channel.eventsDropped()).isZero();
		String expected = IntStream.rangeClosed(1, 100_000)
			.mapToObj((i) -> "data: " + i + "\n\n")
			.collect(Collectors.joining());
		assertThat(this.transport.text()).isEqualTo(expected);
	}

	@Test
	void requestsNothingWhileTheClientTakesNothing() {
		DefaultEventChannel channel = channel(8);
		Items publisher = new Items(1_000, channel);
		channel.start();
		this.manual.runAll();
		this.transport.stalled = true;
		channel.stream(publisher);
		for (int i = 0; i < 5; i++) {
			this.manual.runAll();
		}
		// one write went out (then the client stopped), the buffer filled again: nothing more was asked for
		assertThat(publisher.requested.get() - channel.eventsSent()).isLessThanOrEqualTo(8);
		assertThat(publisher.emitted.get()).isLessThanOrEqualTo(16);
		assertThat(this.closes).isEmpty();
	}

	@Test
	void aClientThatLeftCancelsTheSubscriptionOnce() {
		DefaultEventChannel channel = channel(8);
		Items publisher = new Items(Long.MAX_VALUE, channel);
		channel.start();
		// a client that takes one write, then nothing: the endless publisher waits for room
		this.transport.stalled = true;
		channel.stream(publisher);
		this.manual.runAll();
		this.transport.failWrites = true;
		this.transport.release();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.CLIENT_GONE);
		assertThat(publisher.cancels).hasValue(1);
	}

	@Test
	void aClientThatStopsReadingIsClosedAfterTheSendTimeoutAndThePublisherCancelled() {
		// demand follows the buffer, so nothing ever overflows: only the rule for slow consumers ends this stream
		DefaultEventChannel channel = channel(8, OverflowPolicy.BLOCK, Duration.ofMillis(200));
		Items publisher = new Items(Long.MAX_VALUE, channel);
		channel.start();
		this.transport.stalled = true;
		channel.stream(publisher);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.manual.runAll();
			return !this.closes.isEmpty();
		});
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(publisher.cancels).hasValue(1);
		assertThat(this.transport.aborts).hasValue(1);
	}

	@Test
	void everyOtherCloseCancelsTheSubscriptionOnceToo() {
		for (CloseReason reason : List.of(CloseReason.TIMEOUT, CloseReason.SHUTDOWN, CloseReason.SLOW_CONSUMER)) {
			NonBlockingTransport transport = new NonBlockingTransport();
			DefaultEventChannel channel = DefaultEventChannel.builder(transport)
				.settings(new ChannelSettings(8, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.executor(this.manual)
				.publisherExecutor(this.manual)
				.build();
			Items publisher = new Items(Long.MAX_VALUE, channel);
			channel.start();
			transport.stalled = true;
			channel.stream(publisher);
			this.manual.runAll();
			channel.close(reason);
			channel.close(CloseReason.CLIENT_GONE);
			this.manual.runAll();
			assertThat(channel.closeReason()).as("%s", reason).contains(reason);
			assertThat(publisher.cancels).as("%s", reason).hasValue(1);
		}
	}

	@Test
	void theApplicationClosingTheChannelCancelsTooAndItsEventsStillGoOut() {
		DefaultEventChannel channel = channel(8);
		Items publisher = new Items(Long.MAX_VALUE, channel);
		channel.start();
		this.transport.stalled = true;
		channel.stream(publisher);
		this.manual.runAll();
		channel.close();
		this.transport.stalled = false;
		this.transport.release();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(publisher.cancels).hasValue(1);
		assertThat(this.transport.gracefulCloses).hasValue(1);
	}

	@Test
	void completionClosesTheStreamCompletedWithoutACancel() {
		DefaultEventChannel channel = channel(8);
		Items publisher = new Items(3, channel);
		channel.start();
		channel.stream(publisher);
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(publisher.cancels).hasValue(0);
	}

	@Test
	void anErrorEndsTheStreamWithOneErrorEventAndNoTrace() {
		DefaultEventChannel channel = channel(8);
		channel.start();
		channel.stream(failing(new IllegalStateException("the model is overloaded")));
		this.manual.runAll();
		assertThat(this.transport.text())
			.isEqualTo("data: partial\n\nevent: error\ndata: the model is overloaded\n\n");
		assertThat(this.closes).containsExactly(CloseReason.ERROR);
		// written to the end: the response is completed, not aborted
		assertThat(this.transport.gracefulCloses).hasValue(1);
		assertThat(this.transport.aborts).hasValue(0);
	}

	@Test
	void theApplicationShapesTheErrorEvent() {
		DefaultEventChannel channel = channel(8);
		channel.start();
		channel.stream(failing(new IllegalStateException("secret detail")),
				(error) -> SseEvent.builder().name("failed").data("{\"retryable\":true}").build());
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: partial\n\nevent: failed\ndata: {\"retryable\":true}\n\n");
		assertThat(this.closes).containsExactly(CloseReason.ERROR);
	}

	@Test
	void anErrorWithoutAMessageSaysTheStreamFailed() {
		DefaultEventChannel channel = channel(8);
		channel.start();
		channel.stream(failing(new RuntimeException()));
		this.manual.runAll();
		assertThat(this.transport.text()).endsWith("event: error\ndata: The stream failed\n\n");
	}

	@Test
	void takesAReactiveStreamsPublisherAndSseEventsAsThey() {
		DefaultEventChannel channel = channel(4);
		channel.start();
		Publisher<Object> publisher = (Subscriber<? super Object> subscriber) -> subscriber
			.onSubscribe(new Subscription() {

				private int next;

				@Override
				public void request(long n) {
					for (long i = 0; i < n && this.next < 2; i++) {
						this.next++;
						subscriber.onNext((this.next == 1) ? SseEvent.of("token", "Hel") : "lo");
					}
					if (this.next == 2) {
						this.next++;
						subscriber.onComplete();
					}
				}

				@Override
				public void cancel() {
				}
			});
		channel.stream(publisher);
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("event: token\ndata: Hel\n\ndata: lo\n\n");
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
	}

	@Test
	void onePublisherPerChannel() {
		DefaultEventChannel channel = channel(4);
		channel.stream(new Items(1, channel));
		assertThatIllegalStateException().isThrownBy(() -> channel.stream(new Items(1, channel)))
			.withMessageContaining("already streams a publisher");
	}

	@Test
	void closeWithRetryTellsTheClientWhenToComeBack() {
		DefaultEventChannel channel = channel(4);
		channel.start();
		channel.send("last");
		channel.close(Duration.ofSeconds(3));
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: last\n\nretry: 3000\n\n");
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
	}

	/** A publisher of "partial", then {@code error}. */
	private static Flow.Publisher<Object> failing(RuntimeException error) {
		return (subscriber) -> subscriber.onSubscribe(new Flow.Subscription() {

			private boolean sent;

			@Override
			public void request(long n) {
				if (!this.sent) {
					this.sent = true;
					subscriber.onNext("partial");
					subscriber.onError(error);
				}
			}

			@Override
			public void cancel() {
			}
		});
	}

	/**
	 * Emits 1, 2, ... up to {@code count} synchronously within {@code request}, as Reactor's {@code Flux.range} does,
	 * and records how far what was requested ran ahead of what the channel had written.
	 */
	static final class Items implements Flow.Publisher<Object> {

		final AtomicLong requested = new AtomicLong();

		final AtomicLong emitted = new AtomicLong();

		final AtomicLong maxAhead = new AtomicLong();

		final AtomicInteger cancels = new AtomicInteger();

		private final long count;

		private final DefaultEventChannel channel;

		Items(long count, DefaultEventChannel channel) {
			this.count = count;
			this.channel = channel;
		}

		@Override
		public void subscribe(Flow.Subscriber<? super Object> subscriber) {
			subscriber.onSubscribe(new Flow.Subscription() {

				private boolean cancelled;

				private boolean completed;

				@Override
				public void request(long n) {
					long total = Items.this.requested.addAndGet(n);
					Items.this.maxAhead.accumulateAndGet(total - Items.this.channel.eventsSent(), Math::max);
					while (!this.cancelled && Items.this.emitted.get() < Math.min(total, Items.this.count)) {
						subscriber.onNext(Long.toString(Items.this.emitted.incrementAndGet()));
					}
					if (!this.cancelled && !this.completed && Items.this.emitted.get() == Items.this.count) {
						this.completed = true;
						subscriber.onComplete();
					}
				}

				@Override
				public void cancel() {
					this.cancelled = true;
					Items.this.cancels.incrementAndGet();
				}
			});
		}

	}

}

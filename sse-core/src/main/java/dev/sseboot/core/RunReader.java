package dev.sseboot.core;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One client attached to a run: a publisher of the run's events from a position, streamed into the client's
 * channel, so its demand follows the channel's buffer. It emits what is stored and wanted, waits for the run to
 * append more (the run wakes it), and completes once the run has ended and everything was emitted; a run that
 * failed ends it with an error that carries the run's error event. Cancelling (the channel closed) detaches it and
 * leaves the run alone. Signals are emitted one at a time from whichever thread drains: the caller of
 * {@code request} or the run's publisher after an append.
 */
final class RunReader implements Flow.Publisher<Object>, Flow.Subscription {

	private static final int BATCH = 64;

	private final LocalRun run;

	private final AtomicLong requested = new AtomicLong();

	private final AtomicInteger wip = new AtomicInteger();

	private final AtomicBoolean detached = new AtomicBoolean();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private volatile Flow.@Nullable Subscriber<Object> subscriber;

	private volatile boolean cancelled;

	/** Read and written by the draining thread only. */
	private long position;

	private boolean terminated;

	RunReader(LocalRun run, long position) {
		this.run = run;
		this.position = position;
	}

	/** The event a channel ends with when the run failed: the run's own error event, with its id. */
	static SseEvent errorEvent(Throwable error) {
		return (error instanceof RunFailed failed) ? failed.event : PublisherSubscriber.defaultErrorEvent(error);
	}

	@Override
	public void subscribe(Flow.Subscriber<? super Object> subscriber) {
		Objects.requireNonNull(subscriber, "subscriber");
		if (!this.subscribed.compareAndSet(false, true)) {
			subscriber.onSubscribe(new Flow.Subscription() {

				@Override
				public void request(long n) {
				}

				@Override
				public void cancel() {
				}

			});
			subscriber.onError(new IllegalStateException("A run reader has one subscriber"));
			return;
		}
		@SuppressWarnings("unchecked")
		Flow.Subscriber<Object> only = (Flow.Subscriber<Object>) subscriber;
		// signals start after onSubscribe has returned: set the subscriber only then
		only.onSubscribe(this);
		this.subscriber = only;
		this.run.subscribed(this);
		drain();
	}

	@Override
	public void request(long n) {
		if (n <= 0) {
			cancel();
			Flow.Subscriber<Object> current = this.subscriber;
			if (current != null) {
				current.onError(new IllegalArgumentException("Rule 3.9: request must be positive, got " + n));
			}
			return;
		}
		this.requested.getAndAccumulate(n, (a, b) -> (a + b < 0) ? Long.MAX_VALUE : a + b);
		drain();
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		detach();
	}

	private void detach() {
		if (this.detached.compareAndSet(false, true)) {
			this.run.detached(this);
		}
	}

	/** Emits what is stored and wanted; called on a request and after each append to the run. */
	void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			emit();
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void emit() {
		Flow.Subscriber<Object> target = this.subscriber;
		if (target == null) {
			return;
		}
		while (!this.cancelled && !this.terminated) {
			long wanted = this.requested.get();
			if (wanted == 0 && !this.run.endsAt(this.position)) {
				// woken by an append, with no demand: nothing to do until a request
				return;
			}
			LocalRun.Slice slice = this.run.slice(this.position, (int) Math.min(wanted, BATCH));
			if (slice.events().isEmpty()) {
				if (slice.ended()) {
					this.terminated = true;
					target.onComplete();
					detach();
				}
				return;
			}
			if (wanted == 0) {
				return;
			}
			int count = slice.events().size();
			this.position = slice.next();
			this.requested.addAndGet(-count);
			for (int i = 0; i < count; i++) {
				LocalRun.RunItem event = slice.events().get(i);
				if (slice.failed() && i == count - 1) {
					this.terminated = true;
					target.onError(new RunFailed(((SseEvent) event.item()).withId(event.id())));
					detach();
					return;
				}
				target.onNext(event);
			}
			if (slice.ended()) {
				this.terminated = true;
				target.onComplete();
				detach();
				return;
			}
		}
	}

	/** The run ended with an error: the channel ends with {@link #event}. */
	static final class RunFailed extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient SseEvent event;

		RunFailed(SseEvent event) {
			super("The run failed", null, false, false);
			this.event = event;
		}

	}

}

package dev.sseboot.core;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The subscriber a run puts on its publisher: stores each item in the run, ends it on completion or error, and
 * is cancelled when the run is stopped or orphaned. It asks for items in batches (the run keeps up with any
 * producer: storing is list work) and calls {@code request} and {@code cancel} one at a time on the executor, never
 * on the caller's thread, so a synchronous publisher produces there and a stop can get in between two batches.
 */
final class RunUpstream implements Flow.Subscriber<Object> {

	private static final System.Logger logger = System.getLogger(RunUpstream.class.getName());

	private static final int BATCH = 128;

	private final LocalRun run;

	private final SerialTask calls;

	private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();

	private final AtomicBoolean cancelled = new AtomicBoolean();

	/** Items asked for and not yet sent to the subscription; updated by the work loop and onNext. */
	private final AtomicInteger toRequest = new AtomicInteger();

	private volatile boolean done;

	private boolean cancelSent;

	/** Items received since the last request; by the publisher's thread only. */
	private int received;

	RunUpstream(LocalRun run, Executor executor) {
		this.run = run;
		this.calls = new SerialTask(executor, this::work);
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		Objects.requireNonNull(subscription, "subscription");
		if (!this.subscription.compareAndSet(null, subscription)) {
			subscription.cancel();
			return;
		}
		this.toRequest.addAndGet(BATCH);
		schedule();
	}

	@Override
	public void onNext(Object item) {
		Objects.requireNonNull(item, "item");
		if (this.done) {
			return;
		}
		if (!this.run.append(item)) {
			// stopped or orphaned meanwhile: the cancel is on its way
			return;
		}
		if (++this.received == BATCH / 2) {
			this.received = 0;
			this.toRequest.addAndGet(BATCH / 2);
			schedule();
		}
	}

	@Override
	public void onError(Throwable error) {
		Objects.requireNonNull(error, "error");
		this.done = true;
		logger.log(Level.DEBUG, () -> "SSE run " + this.run.id() + ": its publisher failed: " + error);
		this.run.end(SseRun.Outcome.ERROR, PublisherSubscriber.defaultErrorEvent(error));
	}

	@Override
	public void onComplete() {
		this.done = true;
		this.run.end(SseRun.Outcome.COMPLETED, null);
	}

	/** Cancels the publisher (once), from the executor; a no-op after it completed or failed. */
	void cancel() {
		if (this.cancelled.compareAndSet(false, true)) {
			schedule();
		}
	}

	private void schedule() {
		this.calls.request();
	}

	/** The one place the subscription is called: serially (rule 2.7). */
	private void work() {
		Flow.Subscription current = this.subscription.get();
		if (current == null || this.cancelSent || this.done) {
			return;
		}
		if (this.cancelled.get()) {
			this.cancelSent = true;
			call(current::cancel);
			return;
		}
		int amount = this.toRequest.getAndSet(0);
		if (amount > 0) {
			call(() -> current.request(amount));
		}
	}

	private void call(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "SSE run " + this.run.id() + ": its publisher's subscription failed", ex);
			this.cancelSent = true;
			this.run.end(SseRun.Outcome.ERROR, PublisherSubscriber.defaultErrorEvent(ex));
		}
	}

}

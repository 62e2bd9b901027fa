package dev.sseboot.core;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A publisher the test drives: it emits, completes or fails when told, and counts what it was asked. */
class ManualPublisher implements Flow.Publisher<Object>, Flow.Subscription {

	final AtomicLong requested = new AtomicLong();

	final AtomicInteger cancels = new AtomicInteger();

	private volatile Flow.Subscriber<? super Object> subscriber;

	@Override
	public void subscribe(Flow.Subscriber<? super Object> subscriber) {
		this.subscriber = subscriber;
		subscriber.onSubscribe(this);
	}

	@Override
	public void request(long n) {
		this.requested.addAndGet(n);
	}

	@Override
	public void cancel() {
		this.cancels.incrementAndGet();
	}

	/** Emits {@code items}, whatever was requested (the test checks demand itself where it matters). */
	void emit(Object... items) {
		for (Object item : items) {
			this.subscriber.onNext(item);
		}
	}

	void complete() {
		this.subscriber.onComplete();
	}

	void fail(Throwable error) {
		this.subscriber.onError(error);
	}

}

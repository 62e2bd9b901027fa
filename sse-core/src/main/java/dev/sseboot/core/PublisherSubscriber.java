package dev.sseboot.core;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Streams a publisher's items into one channel: each item an event ({@link SseEvent} as is, anything else as data),
 * completion closes the channel {@code COMPLETED}, an error ends it with one event and {@code ERROR}, and any close
 * of the channel cancels the subscription.
 * <p>
 * Demand follows buffer space: every item requested has a place in the channel's buffer promised to it (see
 * {@link EventBuffer#reserve(int)}) before it is requested, so it is never refused or dropped when it arrives, and
 * the application's own sends beside the publisher cannot take its place; more is asked for when a write has made
 * room. So a fast producer is slowed to the client's pace, never buffered without bound. Calls to the subscription
 * ({@code request}, {@code cancel}) are made one at a time, on the channel's publisher executor, never on a drain: a
 * synchronous publisher produces inside {@code request}, and would hold the drain (and every other stream's writes
 * behind it) meanwhile.
 */
final class PublisherSubscriber implements Flow.Subscriber<Object> {

	private static final System.Logger logger = System.getLogger(PublisherSubscriber.class.getName());

	private final DefaultEventChannel channel;

	private final Function<? super Throwable, SseEvent> errorEvent;

	private final SseFormat.Frames frames;

	private final SerialTask calls;

	private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();

	private final AtomicBoolean cancelled = new AtomicBoolean();

	private final AtomicBoolean done = new AtomicBoolean();

	/** Cancel even after a terminal signal: an item failed, and the publisher does not know. */
	private volatile boolean cancelAnyway;

	private boolean cancelSent;

	PublisherSubscriber(DefaultEventChannel channel, Function<? super Throwable, SseEvent> errorEvent,
			SseFormat.Frames frames, Executor executor) {
		this.channel = channel;
		this.errorEvent = errorEvent;
		this.frames = frames;
		this.calls = new SerialTask(executor, this::work);
	}

	/** The event an error ends the stream with when the application shaped none: named {@code error}, no trace. */
	static SseEvent defaultErrorEvent(Throwable error) {
		String message = error.getMessage();
		return SseEvent.of("error", (message != null && !message.isBlank()) ? message : "The stream failed");
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		Objects.requireNonNull(subscription, "subscription");
		if (!this.subscription.compareAndSet(null, subscription)) {
			// rule 2.5: a second subscription is cancelled
			subscription.cancel();
			return;
		}
		this.channel.onClose((reason) -> cancel());
		this.channel.onRoom(this::requestMore);
		requestMore();
	}

	@Override
	public void onNext(Object item) {
		if (this.done.get()) {
			return;
		}
		boolean accepted;
		try {
			accepted = this.channel.sendReserved((item instanceof LocalRun.RunItem run)
					? this.frames.item(run.item(), run.id()) : this.frames.item(item, null));
		}
		catch (IllegalArgumentException ex) {
			// an item that cannot be an event (its data cannot be serialised): the stream fails as on an error
			this.cancelAnyway = true;
			cancel();
			onError(ex);
			return;
		}
		if (!accepted) {
			cancel();
		}
	}

	@Override
	public void onError(Throwable error) {
		if (this.done.compareAndSet(false, true)) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.channel.id() + ": its publisher failed: " + error);
			try {
				// written after everything queued, in no place of the buffer's: the stream's last events
				this.channel.closeAfter(this.frames.error(this.errorEvent.apply(error)), CloseReason.ERROR);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "SSE channel " + this.channel.id() + ": the error event function failed", ex);
				this.channel.closeAfter(defaultErrorEvent(error), CloseReason.ERROR);
			}
		}
	}

	@Override
	public void onComplete() {
		if (this.done.compareAndSet(false, true)) {
			List<SseEvent> end = this.frames.end();
			if (end.isEmpty()) {
				this.channel.close();
			}
			else {
				this.channel.closeAfter(end, CloseReason.COMPLETED);
			}
		}
	}

	/** Cancels the subscription (once), from the executor. */
	void cancel() {
		if (this.cancelled.compareAndSet(false, true)) {
			schedule();
		}
	}

	/** Requests what the buffer has room for, from the executor. */
	void requestMore() {
		schedule();
	}

	private void schedule() {
		this.calls.request();
	}

	/** The one place the subscription is called: serially, as rule 2.7 asks. */
	private void work() {
		Flow.Subscription current = this.subscription.get();
		if (current == null || this.cancelSent) {
			return;
		}
		// after onComplete or onError the subscription is over: no cancel for it then
		if (this.cancelAnyway || (!this.done.get() && (this.cancelled.get() || !this.channel.isOpen()))) {
			this.cancelSent = true;
			call(current::cancel);
		}
		else if (!this.done.get()) {
			int granted = this.channel.reserve(Integer.MAX_VALUE);
			if (granted > 0) {
				call(() -> current.request(granted));
			}
		}
	}

	private void call(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			// rule 2.13 lets nothing be thrown back; a publisher that does anyway ends its stream
			logger.log(Level.WARNING, "SSE channel " + this.channel.id() + ": its publisher's subscription failed", ex);
			this.cancelled.set(true);
			this.channel.close(CloseReason.ERROR);
		}
	}

}

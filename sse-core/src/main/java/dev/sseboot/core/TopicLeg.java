package dev.sseboot.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * One topic's part of a stream on many topics ({@link TopicMux}): what a {@link Broadcaster} subscribes in the
 * stream's place, so that the topic's events reach the stream through its cursor. It resumes after its own position
 * (from the stream's {@code Last-Event-ID}), and it lives and closes with the stream's channel. Never handed to an
 * application: only broadcasters see it, and they only queue encoded events on it.
 */
final class TopicLeg implements EventChannel {

	private final TopicMux mux;

	private final int index;

	private final @Nullable String lastEventId;

	/** Set when the stream's set-up failed: the topic drops the leg at its next delivery. */
	private volatile boolean abandoned;

	TopicLeg(TopicMux mux, int index, @Nullable String lastEventId) {
		this.mux = mux;
		this.index = index;
		this.lastEventId = lastEventId;
	}

	/** Forwards what the topic delivers; {@code false} once the stream is closed or full (the topic drops the leg). */
	boolean deliver(EncodedEvents event) {
		return !this.abandoned && this.mux.accept(this.index, new EncodedEvents[] { event });
	}

	/** As {@link #deliver(EncodedEvents)}, for a block (a replay). */
	boolean deliver(EncodedEvents[] block) {
		return !this.abandoned && this.mux.accept(this.index, block);
	}

	void abandon() {
		this.abandoned = true;
	}

	@Override
	public boolean send(SseEvent event) {
		throw unsupported();
	}

	@Override
	public void close() {
		this.mux.channel().close();
	}

	@Override
	public void close(Duration retry) {
		this.mux.channel().close(retry);
	}

	@Override
	public void stream(Flow.Publisher<?> publisher) {
		throw unsupported();
	}

	@Override
	public void stream(Flow.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
		throw unsupported();
	}

	@Override
	public void stream(Publisher<?> publisher) {
		throw unsupported();
	}

	@Override
	public void stream(Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
		throw unsupported();
	}

	@Override
	public boolean isOpen() {
		return !this.abandoned && this.mux.channel().isOpen();
	}

	@Override
	public void onClose(Consumer<CloseReason> callback) {
		this.mux.channel().onClose(callback);
	}

	@Override
	public Optional<String> lastEventId() {
		return Optional.ofNullable(this.lastEventId);
	}

	@Override
	public String id() {
		return this.mux.channel().id();
	}

	private static UnsupportedOperationException unsupported() {
		return new UnsupportedOperationException("A topic's part of a stream on many topics only takes what its "
				+ "broadcaster delivers: send to the stream's own EventChannel instead");
	}

}

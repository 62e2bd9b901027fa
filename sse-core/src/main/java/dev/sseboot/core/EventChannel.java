package dev.sseboot.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

import org.reactivestreams.Publisher;

/**
 * What the application holds for one SSE connection: put events in, close it to end the stream.
 * <p>
 * Thread-safe: any number of threads may send. {@code send} encodes on the caller's thread (so a bad event fails
 * there, with an {@link IllegalArgumentException}) but never writes to the socket there: a drain does, one at a
 * time per connection, coalescing whatever is queued into one write and one flush.
 * <p>
 * Sealed: {@link DefaultEventChannel} is the one implementation, because topics, the heartbeat and the metrics
 * work on its engine (encoded bytes queued once for many channels, its counters). A test that needs a channel builds
 * one with {@link DefaultEventChannel#builder(SseTransport)} on a transport that records what is written.
 */
public sealed interface EventChannel extends AutoCloseable permits DefaultEventChannel, TopicLeg {

	/**
	 * Queues an event for this connection.
	 * <p>
	 * When the buffer is full the channel's {@link OverflowPolicy} applies; an event a {@code DROP_*} policy discards
	 * is counted as dropped and the channel stays open, so {@code send} still returns {@code true}.
	 * @return {@code true} while the channel is open; {@code false} once it is closed (or closes because of this
	 * call, as {@link OverflowPolicy#BLOCK} and {@link OverflowPolicy#CLOSE} do with a slow consumer, or when the
	 * calling thread is interrupted while waiting for room), so {@code while (channel.send(next()))} is a valid
	 * producer loop
	 * @throws IllegalArgumentException when the event's data cannot be serialised
	 */
	boolean send(SseEvent event);

	/** Queues {@code data} as an event of the default type; see {@link #send(SseEvent)}. */
	default boolean send(Object data) {
		return send((data instanceof SseEvent event) ? event : SseEvent.of(data));
	}

	/**
	 * Ends the stream after everything already accepted has been written, with {@link CloseReason#COMPLETED}.
	 * Further sends return {@code false}. Idempotent.
	 */
	@Override
	void close();

	/**
	 * Sends {@code retry:} (the client reconnects after that delay instead of its default) and then closes as
	 * {@link #close()} does: {@link CloseReason#COMPLETED}, everything accepted written first. A topic subscriber
	 * that reconnects with its {@code Last-Event-ID} resumes with nothing missed.
	 */
	void close(Duration retry);

	/**
	 * Streams {@code publisher} into this channel: each item becomes an event (an {@link SseEvent} as is, anything
	 * else as its data, serialised as {@link #send(Object)} does). Demand follows buffer space: no more is requested
	 * than the buffer has room for, so a fast publisher is slowed to the client's pace, never buffered without bound.
	 * Completion closes the channel ({@link CloseReason#COMPLETED}, after everything is written); an error ends it
	 * with one event named {@code error} whose data is the error's message (never a stack trace), then
	 * {@link CloseReason#ERROR}. When the channel closes for any reason (the client left, a timeout, shutdown), the
	 * subscription is cancelled at once, so the work upstream stops; a client that takes no byte for the send timeout
	 * closes it as {@link CloseReason#SLOW_CONSUMER} too. One publisher per channel. The channel's own {@code send}
	 * still works beside it: an item requested always has its place (the publisher never loses one to the overflow
	 * policy), and the publisher never holds the last quarter of the buffer, which is left to {@code send}.
	 * {@code request} and {@code cancel} are called one at a time on {@link SseExecutors#publisherExecutor()} (a
	 * virtual thread each on JDK 21+), never on a thread that writes to clients, so a publisher may block in them.
	 * @throws IllegalStateException when the channel already streams a publisher
	 */
	void stream(Flow.Publisher<?> publisher);

	/** As {@link #stream(Flow.Publisher)}, with {@code errorEvent} shaping the event an error ends the stream with. */
	void stream(Flow.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent);

	/** As {@link #stream(Flow.Publisher)}, for a Reactive Streams publisher (Reactor's {@code Flux}, for instance). */
	void stream(Publisher<?> publisher);

	/** As {@link #stream(Flow.Publisher, Function)}, for a Reactive Streams publisher. */
	void stream(Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent);

	/** Whether the channel still accepts events. */
	boolean isOpen();

	/**
	 * Runs {@code callback} once with the reason when the channel has closed; at once if it already has. A callback
	 * that throws is logged and does not affect the others.
	 */
	void onClose(Consumer<CloseReason> callback);

	/** The client's {@code Last-Event-ID} (decoded as UTF-8), or empty when it sent none. */
	Optional<String> lastEventId();

	/** This connection's id: unique within the process, never the client's identity. */
	String id();

}

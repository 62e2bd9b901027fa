package dev.sseboot.core;

import java.util.Optional;
import java.util.function.Consumer;

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
public sealed interface EventChannel extends AutoCloseable permits DefaultEventChannel {

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

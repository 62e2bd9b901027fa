package dev.sseboot.web;

/**
 * Hears what happens to the streams of {@code @SseEndpoint} methods: the seam sse-boot's meters hang off, for
 * applications that count or trace streams their own way. Declare beans of this type; they are called in order,
 * after the {@link SseDisconnectListener}s. Each call reports a change that has already happened, once; calls come
 * from writer and container threads (the write path included), so implementations must be thread-safe and quick,
 * and one that throws is logged.
 */
public interface SseConnectionObserver {

	/** A stream of {@code endpoint} opened: its headers were committed. */
	default void onOpened(SseEndpointDefinition endpoint) {
	}

	/**
	 * As {@link #onOpened(SseEndpointDefinition)}, with the stream's connection id (the one its
	 * {@link SseDisconnect} will carry), on the thread of the request that opened it: for an observer that follows
	 * each stream (a trace span per stream). By default, calls {@link #onOpened(SseEndpointDefinition)}.
	 */
	default void onOpened(SseEndpointDefinition endpoint, String connectionId) {
		onOpened(endpoint);
	}

	/** {@code events} events ({@code bytes} bytes, heartbeats included) were written. */
	default void onSent(SseEndpointDefinition endpoint, int events, int bytes) {
	}

	/**
	 * As {@link #onSent(SseEndpointDefinition, int, int)}, with the stream's connection id. By default, calls
	 * {@link #onSent(SseEndpointDefinition, int, int)}.
	 */
	default void onSent(SseEndpointDefinition endpoint, String connectionId, int events, int bytes) {
		onSent(endpoint, events, bytes);
	}

	/** {@code events} events will never be written (overflow, or discarded on close). */
	default void onDropped(SseEndpointDefinition endpoint, int events) {
	}

	/** A stream that opened has closed; the disconnect's counts are final. */
	default void onClosed(SseEndpointDefinition endpoint, SseDisconnect disconnect) {
	}

	/**
	 * A request to {@code endpoint} was refused for {@code reason}, to be tried again later; it never became a
	 * stream. Called on the request's thread.
	 */
	default void onRefused(SseEndpointDefinition endpoint, SseRefusal reason) {
	}

}

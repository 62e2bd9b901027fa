package dev.sseboot.web;

/**
 * Hears what happens to the streams of {@code @SseEndpoint} methods: the seam sse-boot's meters and its
 * {@code sse.stream} observation hang off, for applications that count or trace streams their own way. Declare beans
 * of this type; they are called in order, after the {@link SseDisconnectListener}s, one method per kind of event,
 * each told the stream's {@link SseStreamInfo}. Each call reports a change that has already happened, once; calls
 * come from writer and container threads (the write path included), so implementations must be thread-safe and
 * quick, and one that throws is logged.
 */
public interface SseConnectionObserver {

	/** A stream opened: its headers were committed. Called on the thread of the request that opened it. */
	default void onOpened(SseStreamInfo stream) {
	}

	/** {@code events} events ({@code bytes} bytes, heartbeats included) of {@code stream} were written. */
	default void onSent(SseStreamInfo stream, int events, int bytes) {
	}

	/** {@code events} events of {@code stream} will never be written (overflow, or discarded on close). */
	default void onDropped(SseStreamInfo stream, int events) {
	}

	/** A stream that opened has closed; the disconnect's counts are final. */
	default void onClosed(SseStreamInfo stream, SseDisconnect disconnect) {
	}

	/**
	 * A request to {@code endpoint} was refused for {@code reason}, to be tried again later; it never became a
	 * stream. Called on the request's thread.
	 */
	default void onRefused(SseEndpointDefinition endpoint, SseRefusal reason) {
	}

}

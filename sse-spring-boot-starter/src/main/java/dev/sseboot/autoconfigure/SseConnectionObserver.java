package dev.sseboot.autoconfigure;

import dev.sseboot.core.CloseReason;

/**
 * Hears what happens to the streams of {@code @SseEndpoint} methods: the seam that disconnect listeners, metrics and
 * the actuator hang off. Each call reports a change that has already happened, once; calls come from writer and
 * container threads, so implementations must be thread-safe and quick. Declare beans of this type to add one.
 */
public interface SseConnectionObserver {

	/** A stream opened: its headers were committed. */
	default void onOpened(SseConnection connection) {
	}

	/** {@code events} events ({@code bytes} bytes, heartbeats included) were written. */
	default void onSent(SseConnection connection, int events, int bytes) {
	}

	/** {@code events} events will never be written (overflow, or discarded on close). */
	default void onDropped(SseConnection connection, int events) {
	}

	/** A stream that opened has closed; its counts are final. */
	default void onClosed(SseConnection connection, CloseReason reason) {
	}

}

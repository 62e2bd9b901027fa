package dev.sseboot.core;

import java.util.Objects;

/**
 * Bytes of whole encoded events and how many events they hold: what a channel queues. One instance may be queued on
 * many channels (a broadcaster encodes once per publish); it is never modified.
 *
 * @param bytes the encoded events, as {@link SseEncoder} made them
 * @param events how many events they count as (zero for control blocks such as an id-only block)
 */
public record EncodedEvents(byte[] bytes, int events) {

	public EncodedEvents {
		Objects.requireNonNull(bytes, "bytes");
		if (events < 0) {
			throw new IllegalArgumentException("events must not be negative (got " + events + ")");
		}
	}

	/** One event. */
	public static EncodedEvents of(byte[] bytes) {
		return new EncodedEvents(bytes, 1);
	}

}

package dev.sseboot.core;

import java.time.Duration;

/**
 * How one channel buffers: its capacity, what happens when it is full, and how long {@link OverflowPolicy#BLOCK}
 * waits. Defaults live in {@link SseDefaults}.
 *
 * @param bufferSize events buffered per connection, at least 1
 * @param overflow what {@code send} does when the buffer is full
 * @param sendTimeout how long {@link OverflowPolicy#BLOCK} waits for room, zero or more
 */
public record ChannelSettings(int bufferSize, OverflowPolicy overflow, Duration sendTimeout) {

	public ChannelSettings {
		if (bufferSize < 1) {
			throw new IllegalArgumentException(
					"SSE buffer size must be at least 1 (got " + bufferSize
					+ "): it is the events held per connection");
		}
		if (sendTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"SSE send timeout must not be negative (got " + sendTimeout + "): use zero or a positive duration");
		}
	}

	/** The defaults of {@link SseDefaults}. */
	public static ChannelSettings defaults() {
		return new ChannelSettings(SseDefaults.BUFFER_SIZE, SseDefaults.OVERFLOW, SseDefaults.SEND_TIMEOUT);
	}

}

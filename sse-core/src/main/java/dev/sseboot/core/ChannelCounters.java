package dev.sseboot.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a channel has written and dropped, counted as it happens; read from any thread (metrics, disconnect
 * reports), each count on its own.
 */
final class ChannelCounters {

	private final AtomicLong eventsSent = new AtomicLong();

	private final AtomicLong eventsDropped = new AtomicLong();

	private final AtomicLong bytesSent = new AtomicLong();

	/** One write of {@code events} events in {@code bytes} bytes reached the transport. */
	void sent(int events, int bytes) {
		this.eventsSent.addAndGet(events);
		this.bytesSent.addAndGet(bytes);
	}

	/** {@code events} events will never be written. */
	void dropped(int events) {
		this.eventsDropped.addAndGet(events);
	}

	long eventsSent() {
		return this.eventsSent.get();
	}

	long eventsDropped() {
		return this.eventsDropped.get();
	}

	long bytesSent() {
		return this.bytesSent.get();
	}

}

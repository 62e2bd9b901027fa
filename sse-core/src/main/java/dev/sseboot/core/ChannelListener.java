package dev.sseboot.core;

import java.util.List;

/**
 * The one seam through which a channel reports what happened to it; metrics and disconnect callbacks hang off it.
 * Each call reports a change that has already happened, exactly once. Calls come from the channel's drain or from
 * the thread whose action caused the change, so implementations must be thread-safe and quick.
 */
public interface ChannelListener {

	/** A listener that ignores everything. */
	ChannelListener NONE = new ChannelListener() {
	};

	/** {@code events} events ({@code bytes} bytes, heartbeats included) were written and flushed. */
	default void onSent(EventChannel channel, int events, int bytes) {
	}

	/** {@code events} accepted or offered events will never be written (overflow policy, or discarded on close). */
	default void onDropped(EventChannel channel, int events) {
	}

	/** The channel closed; its counts are final. Called once per channel. */
	default void onClosed(EventChannel channel, CloseReason reason) {
	}

	/** One listener that calls each of {@code listeners} in order. */
	static ChannelListener of(List<? extends ChannelListener> listeners) {
		List<ChannelListener> all = List.copyOf(listeners);
		if (all.size() == 1) {
			return all.get(0);
		}
		return new ChannelListener() {

			@Override
			public void onSent(EventChannel channel, int events, int bytes) {
				all.forEach((listener) -> listener.onSent(channel, events, bytes));
			}

			@Override
			public void onDropped(EventChannel channel, int events) {
				all.forEach((listener) -> listener.onDropped(channel, events));
			}

			@Override
			public void onClosed(EventChannel channel, CloseReason reason) {
				all.forEach((listener) -> listener.onClosed(channel, reason));
			}

		};
	}

}

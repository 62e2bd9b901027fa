package dev.sseboot.core;

import java.util.Arrays;

/**
 * The channels subscribed to one topic, for {@link Broadcaster} implementations. Copy-on-write: delivering iterates
 * without allocating, and a close that runs inline during delivery cannot disturb it. Delivery never blocks: a full
 * subscriber is closed as {@link CloseReason#SLOW_CONSUMER} and removed. Not thread-safe: its topic's lock guards it.
 */
public final class TopicSubscribers {

	private static final DefaultEventChannel[] NONE = new DefaultEventChannel[0];

	private DefaultEventChannel[] channels = NONE;

	/** Queues {@code first} on {@code channel} and attaches it; {@code false} (nothing attached) if it is closed. */
	public boolean add(DefaultEventChannel channel, EncodedEvents first) {
		return attach(channel,
				(first.bytes().length == 0) ? channel.isOpen() : channel.sendEncoded(first, OverflowPolicy.CLOSE));
	}

	/**
	 * Queues {@code first}, a block of events shared with the topic (a replay), on {@code channel} as one item, and
	 * attaches it; {@code false} (nothing attached) if it is closed.
	 */
	public boolean add(DefaultEventChannel channel, EncodedEvents[] first) {
		return attach(channel, (first.length == 0) ? channel.isOpen() : channel.sendEncoded(first, OverflowPolicy.CLOSE));
	}

	private boolean attach(DefaultEventChannel channel, boolean open) {
		if (open) {
			DefaultEventChannel[] grown = Arrays.copyOf(this.channels, this.channels.length + 1);
			grown[grown.length - 1] = channel;
			this.channels = grown;
		}
		return open;
	}

	/** Queues {@code event} on every subscriber, removing those that are closed or full. */
	public void deliver(EncodedEvents event) {
		for (DefaultEventChannel channel : this.channels) {
			if (!channel.sendEncoded(event, OverflowPolicy.CLOSE)) {
				remove(channel);
			}
		}
	}

	public void remove(DefaultEventChannel channel) {
		DefaultEventChannel[] current = this.channels;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == channel) {
				DefaultEventChannel[] shrunk = new DefaultEventChannel[current.length - 1];
				System.arraycopy(current, 0, shrunk, 0, i);
				System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
				this.channels = shrunk;
				return;
			}
		}
	}

	public int size() {
		return this.channels.length;
	}

	public boolean isEmpty() {
		return this.channels.length == 0;
	}

	/** The engine behind {@code channel}, which topics need to queue encoded events. */
	public static DefaultEventChannel engine(EventChannel channel) {
		// EventChannel is sealed: DefaultEventChannel is its one implementation
		return (DefaultEventChannel) channel;
	}

	/**
	 * Checks a topic name: not empty, at most 200 characters, no control characters.
	 * @throws IllegalArgumentException naming the problem and the fix
	 */
	public static String requireTopic(String topic) {
		return TopicNames.require(topic);
	}

}

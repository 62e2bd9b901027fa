package dev.sseboot.core;

import java.util.Arrays;

/**
 * The channels subscribed to one topic, for {@link Broadcaster} implementations (SPI). Copy-on-write: delivering
 * iterates without allocating, and a close that runs inline during delivery cannot disturb it. Delivery never
 * blocks: a full subscriber is closed as {@link CloseReason#SLOW_CONSUMER} and removed. A subscriber that closes
 * removes itself, under the topic's lock, and the topic hears of it then. Not thread-safe otherwise: the topic's
 * lock, the one given here, guards every call.
 */
public final class TopicSubscribers {

	private static final DefaultEventChannel[] NONE = new DefaultEventChannel[0];

	private final Object lock;

	private final Runnable onLeave;

	private DefaultEventChannel[] channels = NONE;

	/**
	 * @param lock the topic's lock, which guards these subscribers
	 * @param onLeave what the topic does when a subscriber has left by closing (forget itself once idle, say); run
	 *     under {@code lock}, after the subscriber was removed
	 */
	public TopicSubscribers(Object lock, Runnable onLeave) {
		this.lock = lock;
		this.onLeave = onLeave;
	}

	/**
	 * Queues {@code first} on {@code channel} and attaches it until it closes; {@code false} (nothing attached) if
	 * it is closed.
	 */
	public boolean add(EventChannel channel, EncodedEvents first) {
		DefaultEventChannel engine = engine(channel);
		return attach(engine,
				(first.bytes().length == 0) ? engine.isOpen() : engine.sendEncoded(first, OverflowPolicy.CLOSE));
	}

	/**
	 * Queues {@code first}, a block of events shared with the topic (a replay), on {@code channel} as one item, and
	 * attaches it until it closes; {@code false} (nothing attached) if it is closed.
	 */
	public boolean add(EventChannel channel, EncodedEvents[] first) {
		DefaultEventChannel engine = engine(channel);
		return attach(engine, (first.length == 0) ? engine.isOpen() : engine.sendEncoded(first, OverflowPolicy.CLOSE));
	}

	private boolean attach(DefaultEventChannel channel, boolean open) {
		if (open) {
			DefaultEventChannel[] grown = Arrays.copyOf(this.channels, this.channels.length + 1);
			grown[grown.length - 1] = channel;
			this.channels = grown;
			// the hook runs at once if the channel closed meanwhile: then it leaves again under the lock
			channel.onClose((reason) -> {
				synchronized (this.lock) {
					remove(channel);
					this.onLeave.run();
				}
			});
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

	private void remove(DefaultEventChannel channel) {
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
	private static DefaultEventChannel engine(EventChannel channel) {
		// EventChannel is sealed: DefaultEventChannel is its one implementation
		return (DefaultEventChannel) channel;
	}

}

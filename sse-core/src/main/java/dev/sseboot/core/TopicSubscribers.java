package dev.sseboot.core;

import java.util.Arrays;

/**
 * The channels subscribed to one topic, for {@link Broadcaster} implementations (SPI): connections, and the legs of
 * streams on many topics (each forwards to its stream, which puts its own id on every event). Copy-on-write: delivering
 * iterates without allocating, and a close that runs inline during delivery cannot disturb it. Delivery never
 * blocks: a full subscriber is closed as {@link CloseReason#SLOW_CONSUMER} and removed. A subscriber that closes
 * removes itself, under the topic's lock, and the topic hears of it then. Not thread-safe otherwise: the topic's
 * lock, the one given here, guards every call.
 */
public final class TopicSubscribers {

	private static final DefaultEventChannel[] NONE = new DefaultEventChannel[0];

	private final Object lock;

	private final Runnable onLeave;

	private static final TopicLeg[] NO_LEGS = new TopicLeg[0];

	private DefaultEventChannel[] channels = NONE;

	/** Topics' legs of streams on many topics: apart, so that delivering to plain connections stays monomorphic. */
	private TopicLeg[] legs = NO_LEGS;

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
		if (channel instanceof TopicLeg leg) {
			return attach(leg, (first.bytes().length == 0) ? leg.isOpen() : leg.deliver(first));
		}
		DefaultEventChannel engine = engine(channel);
		return attach(engine,
				(first.bytes().length == 0) ? engine.isOpen() : engine.sendEncoded(first, OverflowPolicy.CLOSE));
	}

	/**
	 * Queues {@code first}, a block of events shared with the topic (a replay), on {@code channel} as one item, and
	 * attaches it until it closes; {@code false} (nothing attached) if it is closed.
	 */
	public boolean add(EventChannel channel, EncodedEvents[] first) {
		if (channel instanceof TopicLeg leg) {
			return attach(leg, (first.length == 0) ? leg.isOpen() : leg.deliver(first));
		}
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

	private boolean attach(TopicLeg leg, boolean open) {
		if (open) {
			TopicLeg[] grown = Arrays.copyOf(this.legs, this.legs.length + 1);
			grown[grown.length - 1] = leg;
			this.legs = grown;
			leg.onClose((reason) -> {
				synchronized (this.lock) {
					remove(leg);
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
		if (this.legs.length > 0) {
			for (TopicLeg leg : this.legs) {
				if (!leg.deliver(event)) {
					remove(leg);
				}
			}
		}
	}

	private void remove(TopicLeg leg) {
		TopicLeg[] current = this.legs;
		for (int i = 0; i < current.length; i++) {
			if (current[i] == leg) {
				TopicLeg[] shrunk = new TopicLeg[current.length - 1];
				System.arraycopy(current, 0, shrunk, 0, i);
				System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
				this.legs = shrunk;
				return;
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
		return this.channels.length + this.legs.length;
	}

	public boolean isEmpty() {
		return this.channels.length == 0 && this.legs.length == 0;
	}

	/** The engine behind {@code channel}, which topics need to queue encoded events. */
	private static DefaultEventChannel engine(EventChannel channel) {
		// EventChannel is sealed: DefaultEventChannel is its one implementation
		return (DefaultEventChannel) channel;
	}

}

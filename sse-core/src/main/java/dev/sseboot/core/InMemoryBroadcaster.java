package dev.sseboot.core;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The {@link Broadcaster} of one process. Each topic keeps its last {@code replaySize} events, encoded once, in a
 * ring. Publishing and subscribing to a topic take the topic's lock, so a subscriber's replay and its live events
 * form one sequence with no gap and no duplicate; delivery never blocks (a full subscriber is closed), so the lock is
 * held only for memory operations.
 * <p>
 * Assigned ids are {@code <run>-<sequence>}: the sequence is monotonic (one counter for the process, so also per
 * topic), and the run part differs between runs of the process, so an id from a previous run is unknown. A
 * subscription without {@code Last-Event-ID} first gets an id-only block with the current position, so a client that
 * disconnects before any event arrives still resumes without a gap. A topic with neither subscribers nor held events
 * is forgotten; at most 100,000 topics exist at once.
 */
public final class InMemoryBroadcaster implements Broadcaster {

	private static final int MAX_TOPICS = 100_000;

	private final SseEncoder encoder;

	private final int replaySize;

	private final String runPrefix;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** A broadcaster that encodes with {@code encoder} and keeps {@code replaySize} events per topic (0: none). */
	public InMemoryBroadcaster(SseEncoder encoder, int replaySize) {
		if (replaySize < 0) {
			throw new IllegalArgumentException("SSE replay size must not be negative (got " + replaySize + ")");
		}
		this.encoder = Objects.requireNonNull(encoder, "encoder");
		this.replaySize = replaySize;
		this.runPrefix = Long.toString(new SecureRandom().nextLong() & 0xFFFFFFFFFFL, 36) + "-";
	}

	@Override
	public String publish(String topic, SseEvent event) {
		TopicNames.require(topic);
		Objects.requireNonNull(event, "event");
		while (true) {
			Topic target = topic(topic);
			synchronized (target) {
				if (!target.removed) {
					String id = target.publish(event);
					if (target.isIdle()) {
						forget(target);
					}
					return id;
				}
			}
		}
	}

	@Override
	public void subscribe(String topic, EventChannel channel, @Nullable String lastEventId) {
		TopicNames.require(topic);
		DefaultEventChannel engine = TopicSubscribers.engine(channel);
		while (true) {
			Topic target = topic(topic);
			synchronized (target) {
				if (!target.removed) {
					if (target.subscribe(engine, lastEventId)) {
						channel.onClose((reason) -> unsubscribe(target, engine));
					}
					else if (target.isIdle()) {
						forget(target);
					}
					return;
				}
			}
		}
	}

	@Override
	public Map<String, TopicInfo> topics() {
		Map<String, TopicInfo> info = new LinkedHashMap<>();
		this.topics.entrySet().stream().sorted(Map.Entry.comparingByKey())
			.forEach((entry) -> info.put(entry.getKey(), entry.getValue().info()));
		return info;
	}

	private Topic topic(String name) {
		Topic existing = this.topics.get(name);
		if (existing != null) {
			return existing;
		}
		if (this.topics.size() >= MAX_TOPICS) {
			throw new IllegalStateException("SSE broadcaster holds " + MAX_TOPICS
					+ " topics: too many distinct topic names; derive topics from a bounded set");
		}
		return this.topics.computeIfAbsent(name, (key) -> new Topic(key, this.replaySize, this.sequence.get()));
	}

	private void unsubscribe(Topic topic, DefaultEventChannel channel) {
		synchronized (topic) {
			topic.subscribers.remove(channel);
			if (!topic.removed && topic.isIdle()) {
				forget(topic);
			}
		}
	}

	/** Called under the topic's lock: marks it removed so that racing callers retry with a fresh topic. */
	private void forget(Topic topic) {
		topic.removed = true;
		this.topics.remove(topic.name, topic);
	}

	/** One topic; every method runs under its monitor. */
	private final class Topic {

		final String name;

		final TopicSubscribers subscribers = new TopicSubscribers();

		private final ReplayRing ring;

		/** Events of this topic up to this sequence may be gone; ids at or after it can be resumed. */
		private long evictedUpTo;

		boolean removed;

		Topic(String name, int capacity, long createdAt) {
			this.name = name;
			this.ring = new ReplayRing(capacity);
			this.evictedUpTo = createdAt;
		}

		String publish(SseEvent event) {
			long seq = InMemoryBroadcaster.this.sequence.incrementAndGet();
			String id = (event.id() != null) ? event.id() : InMemoryBroadcaster.this.runPrefix + seq;
			SseEvent stamped = (event.id() != null) ? event : event.withId(id);
			EncodedEvents encoded = EncodedEvents.of(InMemoryBroadcaster.this.encoder.encode(stamped));
			long evicted = this.ring.add(seq, id, encoded);
			if (evicted >= 0) {
				this.evictedUpTo = evicted;
			}
			this.subscribers.deliver(encoded);
			return id;
		}

		/** Queues the subscriber's start (position, replay or reset) and attaches it; false if it is closed. */
		boolean subscribe(DefaultEventChannel channel, @Nullable String lastEventId) {
			return this.subscribers.add(channel, start(lastEventId));
		}

		/** What a subscriber receives first: an id-only position, the events it missed, or a reset. */
		private EncodedEvents start(@Nullable String lastEventId) {
			long now = InMemoryBroadcaster.this.sequence.get();
			String position = InMemoryBroadcaster.this.runPrefix + now;
			SseEncoder encoder = InMemoryBroadcaster.this.encoder;
			if (lastEventId == null) {
				return new EncodedEvents(encoder.encode(SseEvent.builder().id(position).build()), 0);
			}
			long after = sequenceOf(lastEventId, now);
			if (after >= this.evictedUpTo) {
				return this.ring.after(after);
			}
			return EncodedEvents.of(encoder.encode(SseEvent.builder().name(RESET_EVENT).id(position).data(this.name).build()));
		}

		/** The sequence an id stands for, or -1 when it is not a position this run issued. */
		private long sequenceOf(String id, long now) {
			String prefix = InMemoryBroadcaster.this.runPrefix;
			if (id.startsWith(prefix)) {
				try {
					long seq = Long.parseLong(id.substring(prefix.length()));
					return (seq >= 0 && seq <= now) ? seq : -1;
				}
				catch (NumberFormatException ex) {
					// not one of ours after all: look for an application id
				}
			}
			return this.ring.sequenceOf(id);
		}

		boolean isIdle() {
			return this.subscribers.isEmpty() && this.ring.size() == 0;
		}

		TopicInfo info() {
			synchronized (this) {
				return new TopicInfo(this.subscribers.size(), this.ring.size(), this.ring.capacity());
			}
		}

	}

}

package dev.sseboot.core;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The {@link Broadcaster} of one process. Each topic keeps its last {@code replaySize} events, encoded once, in a
 * ring that grows as it fills. Publishing and subscribing to a topic take the topic's lock, so a subscriber's replay
 * and its live events form one sequence with no gap and no duplicate; delivery never blocks (a full subscriber is
 * closed), so the lock is held only for memory operations.
 * <p>
 * Assigned ids are {@code <run>-<sequence>}: the sequence is monotonic (one counter for the process, so also per
 * topic), and the run part differs between runs of the process, so an id from a previous run is unknown. A
 * subscription without {@code Last-Event-ID} first gets an id-only block with the current position, so a client that
 * disconnects before any event arrives still resumes without a gap.
 * <p>
 * A replay shares the ring's encoded events rather than copying them, and holds at most its byte limit (a client
 * that missed more gets {@value #RESET_EVENT}). Memory stays bounded: at most {@value #MAX_TOPICS} topics exist at once
 * (a new one beyond that is refused with {@link TooManyTopicsException}); a topic with neither subscribers nor held
 * events is forgotten at once, and one without subscribers is forgotten with its events after the idle expiry. A
 * forgotten topic leaves a tombstone, the sequence up to which its events are gone, so that a client resuming it later
 * is told {@value #RESET_EVENT} only when it really missed something; when tombstones themselves reach
 * {@value #MAX_TOPICS}, the oldest is folded into a floor that every new topic starts from (conservative: such
 * clients get a reset).
 */
public final class InMemoryBroadcaster implements Broadcaster {

	/** Topics held at once, and tombstones kept. */
	public static final int MAX_TOPICS = 100_000;

	private final SseEncoder encoder;

	private final int replaySize;

	private final long idleExpiryNanos;

	private final long maxReplayBytes;

	private final LongSupplier nanoClock;

	private final String runPrefix;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** Forgotten topics that had events: the sequence up to which those are gone. Oldest first; guarded by itself. */
	private final LinkedHashMap<String, Long> tombstones = new LinkedHashMap<>();

	/** Guarded by {@link #tombstones}: where topics without a tombstone start. */
	private long floor;

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong lastSweepNanos;

	/**
	 * A broadcaster that encodes with {@code encoder} and keeps {@code replaySize} events per topic (0: none), for
	 * {@link SseDefaults#REPLAY_IDLE_EXPIRY} after a topic's last subscriber or publish.
	 */
	public InMemoryBroadcaster(SseEncoder encoder, int replaySize) {
		this(encoder, replaySize, SseDefaults.REPLAY_IDLE_EXPIRY);
	}

	/** As {@link #InMemoryBroadcaster(SseEncoder, int)}, with its own idle expiry (positive). */
	public InMemoryBroadcaster(SseEncoder encoder, int replaySize, Duration idleExpiry) {
		this(encoder, replaySize, idleExpiry, SseDefaults.REPLAY_MAX_BYTES);
	}

	/**
	 * As {@link #InMemoryBroadcaster(SseEncoder, int, Duration)}, with at most {@code maxReplayBytes} (positive) in
	 * one replay: a client that missed more gets {@value #RESET_EVENT} instead.
	 */
	public InMemoryBroadcaster(SseEncoder encoder, int replaySize, Duration idleExpiry, long maxReplayBytes) {
		this(encoder, replaySize, idleExpiry, maxReplayBytes, System::nanoTime);
	}

	InMemoryBroadcaster(SseEncoder encoder, int replaySize, Duration idleExpiry, long maxReplayBytes,
			LongSupplier nanoClock) {
		if (replaySize < 0) {
			throw new IllegalArgumentException("SSE replay size must not be negative (got " + replaySize + ")");
		}
		if (idleExpiry.isNegative() || idleExpiry.isZero()) {
			throw new IllegalArgumentException(
					"SSE topic idle expiry must be positive (got " + idleExpiry
					+ "): it bounds memory of quiet topics");
		}
		if (maxReplayBytes < 1) {
			throw new IllegalArgumentException(
					"SSE replay byte limit must be positive (got " + maxReplayBytes
					+ "): it bounds one client's replay");
		}
		this.encoder = Objects.requireNonNull(encoder, "encoder");
		this.replaySize = replaySize;
		this.maxReplayBytes = maxReplayBytes;
		this.idleExpiryNanos = EventBuffer.nanos(idleExpiry);
		this.nanoClock = nanoClock;
		this.runPrefix = Long.toString(new SecureRandom().nextLong() & 0xFFFFFFFFFFL, 36) + "-";
		this.lastSweepNanos = new AtomicLong(nanoClock.getAsLong());
	}

	@Override
	public String publish(String topic, SseEvent event) {
		TopicNames.require(topic);
		Objects.requireNonNull(event, "event");
		sweepIfDue();
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
		sweepIfDue();
		while (true) {
			Topic target = topic(topic);
			synchronized (target) {
				if (!target.removed) {
					if (!target.subscribe(channel, lastEventId) && target.isIdle()) {
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

	@Override
	public long refusedTopics() {
		return this.refused.get();
	}

	/** Forgets every topic without subscribers that has been quiet for the idle expiry; returns how many. */
	int sweep() {
		this.lastSweepNanos.set(this.nanoClock.getAsLong());
		int forgotten = 0;
		for (Topic topic : this.topics.values()) {
			synchronized (topic) {
				if (!topic.removed && topic.subscribers.isEmpty() && topic.quietFor() >= this.idleExpiryNanos) {
					forget(topic);
					forgotten++;
				}
			}
		}
		return forgotten;
	}

	/** Sweeps at most every quarter of the idle expiry (and every 10 s), from whichever call comes then. */
	private void sweepIfDue() {
		long now = this.nanoClock.getAsLong();
		long last = this.lastSweepNanos.get();
		long period = Math.min(this.idleExpiryNanos / 4, TimeUnit.SECONDS.toNanos(10));
		if (now - last >= period && this.lastSweepNanos.compareAndSet(last, now)) {
			sweep();
		}
	}

	private Topic topic(String name) {
		Topic existing = this.topics.get(name);
		if (existing != null) {
			return existing;
		}
		if (this.topics.size() >= MAX_TOPICS) {
			// full: an expired topic may make room, but a flood of new names must not sweep on every call
			long now = this.nanoClock.getAsLong();
			long last = this.lastSweepNanos.get();
			if (now - last >= TimeUnit.SECONDS.toNanos(1) && this.lastSweepNanos.compareAndSet(last, now)) {
				sweep();
			}
			if (this.topics.size() >= MAX_TOPICS) {
				this.refused.incrementAndGet();
				throw new TooManyTopicsException(MAX_TOPICS);
			}
		}
		return this.topics.computeIfAbsent(name, (key) -> new Topic(key, this.replaySize, goneUpTo(key)));
	}

	/** Where a new topic's resumable ids start: after what its earlier life lost, if it had one. */
	private long goneUpTo(String name) {
		synchronized (this.tombstones) {
			Long tombstone = this.tombstones.remove(name);
			return (tombstone != null) ? Math.max(tombstone, this.floor) : this.floor;
		}
	}

	/**
	 * Called under the topic's lock: marks it removed so that racing callers retry with a fresh topic, and, if it
	 * had events, leaves the tombstone its next life starts from.
	 */
	private void forget(Topic topic) {
		topic.removed = true;
		this.topics.remove(topic.name, topic);
		long gone = topic.goneUpTo();
		if (gone > 0) {
			synchronized (this.tombstones) {
				this.tombstones.put(topic.name, gone);
				if (this.tombstones.size() > MAX_TOPICS) {
					Iterator<Map.Entry<String, Long>> oldest = this.tombstones.entrySet().iterator();
					this.floor = Math.max(this.floor, oldest.next().getValue());
					oldest.remove();
				}
			}
		}
	}

	/** One topic; every method runs under its monitor. */
	private final class Topic {

		final String name;

		/**
		 * A subscriber that leaves keeps the topic alive a while longer, or forgets it at once when it holds nothing.
		 */
		final TopicSubscribers subscribers = new TopicSubscribers(this, () -> {
			touch();
			if (!this.removed && isIdle()) {
				forget(this);
			}
		});

		private final ReplayRing ring;

		/** Events of this topic up to this sequence may be gone; ids at or after it can be resumed. */
		private long evictedUpTo;

		/** The sequence of the last event published here; 0 for none. */
		private long lastSequence;

		private long lastActivityNanos;

		boolean removed;

		Topic(String name, int capacity, long evictedUpTo) {
			this.name = name;
			this.ring = new ReplayRing(capacity);
			this.evictedUpTo = evictedUpTo;
			this.lastActivityNanos = InMemoryBroadcaster.this.nanoClock.getAsLong();
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
			this.lastSequence = seq;
			touch();
			this.subscribers.deliver(encoded);
			return id;
		}

		/** Queues the subscriber's start (position, replay or reset) and attaches it; false if it is closed. */
		boolean subscribe(EventChannel channel, @Nullable String lastEventId) {
			touch();
			return this.subscribers.add(channel, start(lastEventId));
		}

		/**
		 * What a subscriber receives first: an id-only position, the events it missed (the ring's, shared), or a
		 * reset when it missed what is gone or more than one replay may hold.
		 */
		private EncodedEvents[] start(@Nullable String lastEventId) {
			long now = InMemoryBroadcaster.this.sequence.get();
			String position = InMemoryBroadcaster.this.runPrefix + now;
			SseEncoder encoder = InMemoryBroadcaster.this.encoder;
			if (lastEventId == null) {
				return new EncodedEvents[] { new EncodedEvents(encoder.encode(SseEvent.builder().id(position).build()),
						0) };
			}
			long after = sequenceOf(lastEventId, now);
			EncodedEvents[] missed = (after >= this.evictedUpTo)
					? this.ring.after(after, InMemoryBroadcaster.this.maxReplayBytes) : null;
			if (missed != null) {
				return missed;
			}
			return new EncodedEvents[] { EncodedEvents
				.of(encoder.encode(SseEvent.builder().name(RESET_EVENT).id(position).data(this.name).build())) };
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

		/** Up to where this topic's events are gone once it is forgotten: all it ever had, or what it lost. */
		long goneUpTo() {
			return Math.max(this.lastSequence, this.evictedUpTo);
		}

		void touch() {
			this.lastActivityNanos = InMemoryBroadcaster.this.nanoClock.getAsLong();
		}

		long quietFor() {
			return InMemoryBroadcaster.this.nanoClock.getAsLong() - this.lastActivityNanos;
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

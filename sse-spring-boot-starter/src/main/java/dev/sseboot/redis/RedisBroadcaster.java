package dev.sseboot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EncodedEvents;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.TopicNames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * A {@link Broadcaster} for several instances behind a load balancer. A publish appends to one Redis stream per topic
 * (see {@link RedisTopicStreams}); the Redis stream id is the SSE event id, so a client can resume on any instance.
 * One reader per instance ({@link RedisReader}) reads the streams its local subscribers need and fans out
 * locally, encoding each event once per instance; what a new subscriber gets first is a {@link Resume}.
 * <p>
 * When Redis is unreachable, {@link #publish} throws (the event is not sent, and the caller knows it), subscribers
 * keep their connections, the reader retries with backoff and resumes from the last id it delivered (no duplicates),
 * and {@link RedisHealth} reports DOWN. If Redis comes back as a new run (a restart, whose unpersisted entries are
 * gone), local subscribers get {@code sse-reset}: nothing is lost silently.
 */
final class RedisBroadcaster implements Broadcaster {

	private static final Log logger = LogFactory.getLog(RedisBroadcaster.class);

	/** Tries to work a subscriber's start out outside the topic's lock before it is done under it. */
	private static final int START_ATTEMPTS = 3;

	private static final EncodedEvents[] NOTHING = new EncodedEvents[0];

	/** How long a subscriber ahead of this instance's reader waits for it (the request thread waits). */
	private static final Duration CATCH_UP = Duration.ofSeconds(2);

	private final RedisTopicStreams streams;

	private final LocalTopics topics;

	private final RedisEvents events;

	private final RedisHealth health;

	private final int replaySize;

	/** Events one subscriber's replay may hold at most. */
	private final int maxReplayEvents;

	/** Bytes one subscriber's replay may hold at most: {@code sse.replay.max-bytes}. */
	private final long maxReplayBytes;

	RedisBroadcaster(RedisTopicStreams streams, LocalTopics topics, RedisEvents events, RedisHealth health,
			int replaySize, long maxReplayBytes) {
		this.streams = streams;
		this.topics = topics;
		this.events = events;
		this.health = health;
		this.replaySize = replaySize;
		// MAXLEN ~ trims whole nodes (100 entries by default), so a stream holds somewhat more than replaySize
		this.maxReplayEvents = Math.max(replaySize, 1) + 1_000;
		this.maxReplayBytes = maxReplayBytes;
	}

	/**
	 * Appends the event to the topic's stream; local and remote subscribers receive it from there. In this mode the
	 * Redis stream id is the event's id: an id the event carries is replaced (the returned id is the one sent).
	 * @throws IllegalStateException when Redis is unreachable: the event was not sent
	 */
	@Override
	public String publish(String topic, SseEvent event) {
		TopicNames.require(topic);
		String stored = this.events.stored(event);
		String id;
		try {
			id = this.streams.publish(topic, stored);
		}
		catch (RuntimeException ex) {
			this.health.markDown(ex);
			throw new IllegalStateException("Redis is unreachable: SSE topic \"" + topic
					+ "\" could not be published to ("
					+ RedisHealth.describe(ex) + "); the event was not sent", ex);
		}
		if (this.streams.isCluster()) {
			// the wake-up lives in another slot: two commands. Without it the event still arrives, by the next sweep
			try {
				this.streams.wake(topic);
			}
			catch (RuntimeException ex) {
				this.health.markDown(ex);
				logger.warn("An SSE event was published to Redis but its wake-up was not (" + RedisHealth.describe(ex)
						+ "); readers find it by their next sweep, within " + RedisReaderTurn.SWEEP.toSeconds() + " s");
			}
		}
		this.health.markUp();
		return id;
	}

	/**
	 * Attaches {@code channel}, first sending what {@link Resume#decide} says. The Redis reads for that (the
	 * position, the first entry, the replay range) happen outside the topic's lock, which the reader needs for every
	 * delivery; under the lock the start is used only if the reader has not moved the topic on meanwhile, else it is
	 * worked out again from the new position (after a few tries, under the lock: correctness first).
	 */
	@Override
	public void subscribe(String topic, EventChannel channel, @Nullable String lastEventId) {
		TopicNames.require(topic);
		for (int attempt = 1;; attempt++) {
			LocalTopic target = this.topics.attach(topic);
			StreamId position = position(target);
			StreamId seen = StreamId.parse(lastEventId);
			if (position != null && seen != null && seen.isAfter(position)) {
				position = caughtUp(target, seen, position);
			}
			// the position unknown (Redis away): nothing yet; the reader tells every subscriber that joined meanwhile
			// with sse-reset once it has the position, since what was published in between is unknown
			EncodedEvents[] start = (position != null) ? start(target.name, lastEventId, position) : NOTHING;
			synchronized (target) {
				if (target.removed) {
					continue;
				}
				StreamId now = target.position;
				if (position != null && now != null && !position.equals(now)) {
					if (attempt < START_ATTEMPTS) {
						continue;
					}
					// the reader keeps moving this topic on: work it out where it cannot move
					start = start(target.name, lastEventId, now);
				}
				if (!target.subscribers.add(channel, start) && target.subscribers.isEmpty()) {
					this.topics.forget(target);
				}
				return;
			}
		}
	}

	/**
	 * A client that saw {@code seen}, which this instance's reader has not delivered yet (the client read it from a
	 * faster instance), would get sse-reset and then the events again: when the stream holds that id, wait for the
	 * reader to get there, up to {@link #CATCH_UP}, outside the lock. Returns the topic's position then.
	 */
	private StreamId caughtUp(LocalTopic topic, StreamId seen, StreamId position) {
		try {
			if (seen.isAfter(this.streams.lastId(topic.name))) {
				// not an id of this stream (yet): Resume.decide answers it with sse-reset
				return position;
			}
		}
		catch (RuntimeException ex) {
			this.health.markDown(ex);
			return position;
		}
		long deadline = System.nanoTime() + CATCH_UP.toNanos();
		StreamId now = position;
		while (seen.isAfter(now) && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
			now = Objects.requireNonNull(topic.position, "set before");
		}
		return now;
	}

	/** The topic's position for a new subscriber; {@code null} when Redis is away. */
	private @Nullable StreamId position(LocalTopic topic) {
		try {
			return this.topics.positionOf(topic);
		}
		catch (RuntimeException ex) {
			this.health.markDown(ex);
			return null;
		}
	}

	@Override
	public Map<String, TopicInfo> topics() {
		return this.topics.info(this.replaySize);
	}

	/** What a new subscriber of {@code topic} at {@code position} receives first; reads Redis, takes no lock. */
	private EncodedEvents[] start(String topic, @Nullable String lastEventId, StreamId position) {
		try {
			Resume resume = Resume.decide(lastEventId, position, () -> oldestResumable(topic, lastEventId));
			EncodedEvents[] start;
			if (resume instanceof Resume.Position at) {
				start = one(this.events.position(at.id()));
			}
			else if (resume instanceof Resume.Replay replay) {
				start = replay(topic, replay.after(), replay.upTo());
			}
			else if (resume instanceof Resume.Reset reset) {
				start = one(this.events.reset(topic, reset.id().toString()));
			}
			else {
				start = NOTHING;
			}
			this.health.markUp();
			return start;
		}
		catch (RuntimeException ex) {
			this.health.markDown(ex);
			// Redis went away while the start was read: the stream cannot be resumed now; say so rather than pretend
			return (lastEventId != null) ? one(this.events.reset(topic, lastEventId)) : NOTHING;
		}
	}

	/**
	 * The oldest id a client may resume from: the stream's first entry, or, for a client that subscribed while the
	 * stream was empty ({@code 0-0}, as a stream on many topics keeps for a topic that sent nothing yet), the empty
	 * stream itself when nothing was ever trimmed from it (Redis 7 counts entries added).
	 */
	private @Nullable StreamId oldestResumable(String topic, @Nullable String lastEventId) {
		if (StreamId.ZERO.equals(StreamId.parse(lastEventId)) && !this.streams.trimmedPast(topic, StreamId.ZERO)) {
			return StreamId.ZERO;
		}
		return this.streams.firstId(topic);
	}

	private static EncodedEvents[] one(EncodedEvents events) {
		return new EncodedEvents[] { events };
	}

	/**
	 * The entries after {@code after} up to {@code upTo}, one shared block per event; bounded like a replay on one
	 * instance: more than {@link #maxReplayEvents} events or {@code sse.replay.max-bytes} bytes get {@code sse-reset}
	 * instead (the client missed more than a replay may hold). Read a page at a time, so that no more than the bound
	 * and one page is ever held.
	 */
	private EncodedEvents[] replay(String topic, StreamId after, StreamId upTo) {
		List<EncodedEvents> replay = new ArrayList<>();
		long bytes = 0;
		StreamId from = after;
		while (true) {
			List<MapRecord<String, Object, Object>> page = this.streams.page(topic, from, upTo);
			for (MapRecord<String, Object, Object> record : page) {
				EncodedEvents event = this.events.of(record);
				bytes += event.bytes().length;
				replay.add(event);
				if (bytes > this.maxReplayBytes || replay.size() > this.maxReplayEvents) {
					return one(this.events.reset(topic, upTo.toString()));
				}
			}
			if (page.size() < RedisTopicStreams.REPLAY_PAGE) {
				return replay.toArray(NOTHING);
			}
			from = StreamId.of(page.get(page.size() - 1).getId().getValue());
		}
	}

}

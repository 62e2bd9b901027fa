package dev.sseboot.redis;

import java.time.Duration;

import java.util.UUID;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseRunSharing;
import dev.sseboot.web.SseBackendHealth;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis engine of one instance, put together: its {@link #broadcaster() broadcaster}, the {@link #reader() reader}
 * that fans out to local subscribers, and the {@link #health() health} the {@code sse} indicator reads. The one public
 * type of this package, for sse-boot's auto-configuration; not API.
 */
public final class SseRedis {

	/** The prefix of each topic's stream key. */
	static final String TOPIC_PREFIX = "sse:topic:";

	/** The key of the wake-up stream. */
	static final String WAKE_KEY = "sse:wake";

	private final RedisBroadcaster broadcaster;

	private final RedisReader reader;

	private final RedisHealth health;

	private final RedisTopicStreams streams;

	private final RedisEvents events;

	private final RedisReaderTurn turn;

	private final Duration block;

	/**
	 * @param redis commands on Lettuce's shared connection
	 * @param connections where the reader takes a connection of its own
	 * @param encoder the encoder of events
	 * @param settings the replay window, a replay's bound and the topics' idle expiry, the reader's wait
	 */
	public SseRedis(StringRedisTemplate redis, RedisConnectionFactory connections, SseEncoder encoder,
			Settings settings) {
		this.streams = new RedisTopicStreams(redis, TOPIC_PREFIX, WAKE_KEY, settings.replaySize(),
				settings.idleExpiry());
		this.events = new RedisEvents(encoder);
		LocalTopics topics = new LocalTopics(this.streams, this.events);
		this.health = new RedisHealth(topics::size);
		this.broadcaster = new RedisBroadcaster(this.streams, topics, this.events, this.health, settings.replaySize(),
				settings.maxReplayBytes());
		this.turn = new RedisReaderTurn(this.streams, topics, this.events, this.health, settings.replaySize(),
				renewalPeriod(settings.idleExpiry()));
		this.reader = new RedisReader(this.turn, this.health, connections, settings.block());
		this.block = settings.block();
	}

	/** Publishes to Redis and subscribes local channels: the {@code Broadcaster} bean in the multi-node mode. */
	public Broadcaster broadcaster() {
		return this.broadcaster;
	}

	/** The reader thread's lifecycle: started before the web server takes requests, stopped after it stopped. */
	public SmartLifecycle reader() {
		return this.reader;
	}

	/** Whether Redis answers, for the {@code sse} health indicator. */
	public SseBackendHealth health() {
		return this.health;
	}

	/**
	 * Runs shared through Redis (events in a stream per run, an owner's lease, stops and attachments through
	 * wake-ups): what {@code InMemorySseRuns} shares with, in the multi-node mode. Its threads are a lifecycle
	 * ({@link #runsLifecycle(SseRunSharing)}).
	 * @param serializer how non-text data is stored
	 * @param maxEvents events a run's stream keeps (about)
	 * @param retention how long a run's stream lives after it ended
	 * @param lease how long the instance that runs a run holds it without renewing
	 */
	public SseRunSharing runSharing(StringRedisTemplate redis, RedisConnectionFactory connections,
			SseDataSerializer serializer, int maxEvents, Duration retention, Duration lease) {
		RedisRunStore store = new RedisRunStore(redis, serializer, UUID.randomUUID().toString(), maxEvents, retention,
				lease);
		return new RedisRunSharing(store, connections, lease, this.block);
	}

	/** The threads of {@code sharing} (from {@link #runSharing}) as a lifecycle: started and stopped as the reader. */
	public static SmartLifecycle runsLifecycle(SseRunSharing sharing) {
		if (!(sharing instanceof RedisRunSharing redis)) {
			throw new IllegalArgumentException("Not the Redis mode's run sharing: " + sharing);
		}
		return redis.lifecycle();
	}

	/** The reader's turn, for tests that take turns themselves instead of running the reader. */
	RedisReaderTurn turn() {
		return this.turn;
	}

	/** The commands, for tests that write as a publish would. */
	RedisTopicStreams streams() {
		return this.streams;
	}

	/** How events are stored and sent, for tests that write as a publish would. */
	RedisEvents events() {
		return this.events;
	}

	/**
	 * How often the reader renews the expiry of the topics it has subscribers for: a third of the expiry, so that one
	 * missed renewal is harmless.
	 */
	public static Duration renewalPeriod(Duration idleExpiry) {
		return idleExpiry.dividedBy(3);
	}

	/**
	 * What the engine is set up with.
	 *
	 * @param replaySize events kept per topic ({@code sse.replay.size}), the trim length of its stream
	 * @param maxReplayBytes bytes one subscriber's replay may hold ({@code sse.replay.max-bytes})
	 * @param idleExpiry how long a topic's keys live after its last publish or renewal ({@code sse.replay.idle-expiry})
	 * @param block how long one wait of the reader for wake-ups lasts
	 */
	public record Settings(int replaySize, long maxReplayBytes, Duration idleExpiry, Duration block) {

	}

}

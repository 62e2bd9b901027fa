package dev.sseboot.autoconfigure.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.EncodedEvents;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.TopicSubscribers;
import dev.sseboot.web.SseBackendHealth;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link Broadcaster} for several instances behind a load balancer. A publish appends to one Redis stream per topic
 * ({@code sse:topic:<name>}, trimmed to about the replay size); the Redis stream id is the SSE event id, so a client
 * can resume on any instance. One {@link RedisTopicReader} per instance polls the streams its local subscribers need
 * and fans out locally, encoding each event once per instance; what a new subscriber gets first is a {@link Resume}.
 * <p>
 * When Redis is unreachable, {@link #publish} throws (the event is not sent, and the caller knows it), subscribers
 * keep their connections, the reader retries with backoff and resumes from the last id it delivered (no duplicates),
 * and {@link #check()} reports DOWN to the {@code sse} health indicator. If Redis comes back as a new run (a restart,
 * whose unpersisted entries are gone), local subscribers get {@code sse-reset}: nothing is lost silently.
 */
final class RedisBroadcaster implements Broadcaster, SseBackendHealth {

	private static final Log logger = LogFactory.getLog(RedisBroadcaster.class);

	private static final String FIELD = "e";

	/** Tries to work a subscriber's start out outside the topic's lock before it is done under it. */
	private static final int START_ATTEMPTS = 3;

	private static final EncodedEvents[] NOTHING = new EncodedEvents[0];

	/** How long a subscriber ahead of this instance's reader waits for it (the request thread waits). */
	private static final Duration CATCH_UP = Duration.ofSeconds(2);

	/** Streams one read names at most. */
	private static final int KEYS_PER_READ = 64;

	/** Entries one read takes per stream at most. */
	private static final int READ_COUNT = 1_000;

	/**
	 * Every publish also appends the topic's name to one wake-up stream, which the reader waits on with
	 * {@code XREAD BLOCK}: an idle instance sends no command but that one, and a publish reaches it at once.
	 */
	private static final String WAKE_FIELD = "t";

	/**
	 * Wake-ups the stream keeps (on standalone each holds its event: this bounds their Redis memory); a reader
	 * further behind sweeps every topic instead.
	 */
	private static final String WAKE_LENGTH = "1000";

	/** Wake-ups one read takes at most. */
	private static final int WAKE_COUNT = 500;

	/**
	 * How often the reader reads every local topic whether woken or not: for an entry whose wake-up was lost (a
	 * publisher that died between the two commands on Cluster). It also checks each server's run_id then (a
	 * restart), which is the reader's health ping.
	 */
	static final Duration SWEEP = Duration.ofSeconds(2);

	/** A wake-up's field for the id of the entry it carries (standalone only). */
	private static final String WAKE_ID = "i";

	/** A wake-up's field for the id of the topic's entry before the one it carries ({@code 0-0}: none). */
	private static final String WAKE_PREVIOUS = "p";

	/**
	 * The publish on standalone: the topic's entry and its wake-up in one script (one round trip, both or neither),
	 * each key's expiry renewed. The wake-up carries the event too, so that a reader delivers it without a second
	 * round trip, and the id of the topic's previous entry, so that it delivers it only when it follows what the
	 * reader delivered last: a wake-up lost (trimmed before it was read) must not let a later event jump its gap.
	 * KEYS: topic stream, wake-up stream; ARGV: topic length, encoded event, wake-up length, topic name, expiry ms.
	 */
	static final String PUBLISH_SCRIPT = """
			local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
			local previous = '0-0'
			if last[1] then previous = last[1][1] end
			local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 't', ARGV[4], 'i', id, 'p', previous, 'e', ARGV[2])
			redis.call('PEXPIRE', KEYS[2], ARGV[5])
			return id""";

	private static final RedisScript<String> PUBLISH = RedisScript.of(PUBLISH_SCRIPT, String.class);

	/**
	 * The publish on Cluster, where one script cannot write two slots: the topic's entry with its expiry renewed.
	 * KEYS: topic stream; ARGV: topic length, encoded event, expiry ms.
	 */
	private static final RedisScript<String> APPEND = RedisScript.of("""
			local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return id""", String.class);

	/** The wake-up on Cluster, naming the topic only. KEYS: wake-up stream; ARGV: length, topic name, expiry ms. */
	private static final RedisScript<String> WAKE = RedisScript.of("""
			local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 't', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			return id""", String.class);

	/** Renews the expiry of every key it is given. KEYS: topic streams; ARGV: expiry ms. */
	private static final RedisScript<Long> RENEW = RedisScript.of("""
			for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[1]) end
			return #KEYS""", Long.class);

	/** Records one replay read takes from Redis at most: what a replay holds before its bounds are checked. */
	static final int REPLAY_PAGE = 100;

	private final StringRedisTemplate redis;

	private final SseEncoder encoder;

	private final int replaySize;

	/** Events one subscriber's replay may hold at most. */
	private final int maxReplayEvents;

	/** Bytes one subscriber's replay may hold at most: {@code sse.replay.max-bytes}. */
	private final long maxReplayBytes;

	private final String prefix;

	/** {@code sse.replay.idle-expiry} in milliseconds: how long a topic's keys live after its last publish or renewal. */
	private final String expiryMillis;

	/** How often the reader renews the expiry of the topics it has local subscribers for: a third of the expiry. */
	private final long renewEveryNanos;

	private long lastRenewal;

	private final String wakeKey;

	private final byte[] wakeKeyBytes;

	/** The last wake-up the reader has seen; {@code null} until it asked Redis (again, after a restart). */
	private @Nullable StreamId wakePosition;

	/** Whether the reader's next turn reads every local topic first; it also does every {@link #SWEEP}. */
	private volatile boolean sweepNext = true;

	private long lastSweep;

	private final Map<String, LocalTopic> topics = new ConcurrentHashMap<>();

	private volatile boolean up = true;

	private volatile @Nullable String lastError;

	/** Each Redis server's run_id when last seen; a new one means a restart that may have lost entries. */
	private Map<String, String> runIds = Map.of();

	/** Whether the next read must first check {@link #redisRunId}: at start and after Redis was unreachable. */
	private volatile boolean checkRunId = true;

	/** Whether Redis is a cluster; {@code null} until a connection said. */
	private volatile @Nullable Boolean cluster;

	RedisBroadcaster(StringRedisTemplate redis, SseEncoder encoder, int replaySize, long maxReplayBytes, String prefix,
			String wakeKey, Duration idleExpiry) {
		this.redis = redis;
		this.encoder = encoder;
		this.replaySize = replaySize;
		// MAXLEN ~ trims whole nodes (100 entries by default), so a stream holds somewhat more than replaySize
		this.maxReplayEvents = Math.max(replaySize, 1) + 1_000;
		this.maxReplayBytes = maxReplayBytes;
		this.prefix = prefix;
		this.wakeKey = wakeKey;
		this.wakeKeyBytes = wakeKey.getBytes(StandardCharsets.UTF_8);
		this.expiryMillis = String.valueOf(Math.max(idleExpiry.toMillis(), 1));
		this.renewEveryNanos = renewalPeriod(idleExpiry).toNanos();
	}

	/** How often the expiry of subscribed topics is renewed: a third of it, so that one missed renewal is harmless. */
	static Duration renewalPeriod(Duration idleExpiry) {
		return idleExpiry.dividedBy(3);
	}

	/**
	 * Appends the event to the topic's stream; local and remote subscribers receive it from there. In this mode the
	 * Redis stream id is the event's id: an id the event carries is replaced (the returned id is the one sent).
	 * @throws IllegalStateException when Redis is unreachable: the event was not sent
	 */
	@Override
	public String publish(String topic, SseEvent event) {
		TopicSubscribers.requireTopic(topic);
		String encoded = encodeWithoutId(event);
		String length = String.valueOf(Math.max(this.replaySize, 1));
		String id;
		try {
			if (!isCluster()) {
				// one round trip, and the entry and its wake-up are written together or not at all
				id = this.redis.execute(PUBLISH, publishKeys(topic), publishArgs(topic, encoded));
			}
			else {
				id = this.redis.execute(APPEND, List.of(key(topic)), length, encoded, this.expiryMillis);
			}
		}
		catch (RuntimeException ex) {
			markDown(ex);
			throw new IllegalStateException("Redis is unreachable: SSE topic \"" + topic + "\" could not be published to ("
					+ describe(ex) + "); the event was not sent", ex);
		}
		if (isCluster()) {
			// the wake-up lives in another slot: two commands. Without it the event still arrives, by the next sweep
			try {
				wake(topic);
			}
			catch (RuntimeException ex) {
				markDown(ex);
				logger.warn("An SSE event was published to Redis but its wake-up was not (" + describe(ex)
						+ "); readers find it by their next sweep, within " + SWEEP.toSeconds() + " s");
			}
		}
		markUp();
		return Objects.requireNonNull(id, "the script returns the entry's id");
	}

	private void wake(String topic) {
		this.redis.execute(WAKE, List.of(this.wakeKey), WAKE_LENGTH, topic, this.expiryMillis);
	}

	/** The event as stored: encoded without its id, since the Redis stream id becomes the event's id. */
	String encodeWithoutId(SseEvent event) {
		SseEvent withoutId = (event.id() != null) ? event.toBuilder().id(null).build() : event;
		return new String(this.encoder.encode(withoutId), StandardCharsets.UTF_8);
	}

	/** The keys of {@link #PUBLISH_SCRIPT} for {@code topic}. */
	List<String> publishKeys(String topic) {
		return List.of(key(topic), this.wakeKey);
	}

	/** The arguments of {@link #PUBLISH_SCRIPT} for {@code topic} and its {@code encoded} event. */
	Object[] publishArgs(String topic, String encoded) {
		return new Object[] { String.valueOf(Math.max(this.replaySize, 1)), encoded, WAKE_LENGTH, topic,
				this.expiryMillis };
	}

	/**
	 * Attaches {@code channel}, first sending what {@link Resume#decide} says. The Redis reads for that (the
	 * position, the first entry, the replay range) happen outside the topic's lock, which the reader needs for every
	 * delivery; under the lock the start is used only if the reader has not moved the topic on meanwhile, else it is
	 * worked out again from the new position (after a few tries, under the lock: correctness first).
	 */
	@Override
	public void subscribe(String topic, EventChannel channel, @Nullable String lastEventId) {
		TopicSubscribers.requireTopic(topic);
		DefaultEventChannel engine = TopicSubscribers.engine(channel);
		for (int attempt = 1;; attempt++) {
			LocalTopic target = this.topics.computeIfAbsent(topic, LocalTopic::new);
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
				if (target.subscribers.add(engine, start)) {
					channel.onClose((reason) -> unsubscribe(target, engine));
				}
				else if (target.subscribers.isEmpty()) {
					forget(target);
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
			if (seen.isAfter(lastId(topic.name))) {
				// not an id of this stream (yet): Resume.decide answers it with sse-reset
				return position;
			}
		}
		catch (RuntimeException ex) {
			markDown(ex);
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
			return positionOf(topic);
		}
		catch (RuntimeException ex) {
			markDown(ex);
			return null;
		}
	}

	/**
	 * The last stream id delivered to {@code topic}'s local subscribers, asking Redis (outside the lock) the first
	 * time: the stream's last entry then. Subscribers that joined while it could not be asked get {@code sse-reset}
	 * at it: what was published between their subscribe and now is unknown.
	 * @throws RuntimeException when Redis is unreachable
	 */
	private StreamId positionOf(LocalTopic topic) {
		StreamId position = topic.position;
		if (position != null) {
			return position;
		}
		StreamId last = lastId(topic.name);
		synchronized (topic) {
			// a subscriber or the reader may have set it meanwhile: overwriting would skip what came in between
			if (topic.position == null) {
				topic.position = last;
				if (!topic.subscribers.isEmpty()) {
					topic.subscribers.deliver(reset(topic.name, last.toString()));
				}
			}
			return topic.position;
		}
	}

	@Override
	public Map<String, TopicInfo> topics() {
		Map<String, TopicInfo> info = new LinkedHashMap<>();
		this.topics.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((entry) -> {
			synchronized (entry.getValue()) {
				info.put(entry.getKey(), new TopicInfo(entry.getValue().subscribers.size(), 0, this.replaySize));
			}
		});
		return info;
	}

	@Override
	public Status check() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("localTopics", this.topics.size());
		String error = this.lastError;
		if (!this.up && error != null) {
			details.put("error", error);
		}
		return new Status("redis", this.up, details);
	}

	/** What a new subscriber of {@code topic} at {@code position} receives first; reads Redis, takes no lock. */
	private EncodedEvents[] start(String topic, @Nullable String lastEventId, StreamId position) {
		try {
			Resume resume = Resume.decide(lastEventId, position, () -> firstId(topic));
			EncodedEvents[] start;
			if (resume instanceof Resume.Position at) {
				start = one(new EncodedEvents(this.encoder.encode(SseEvent.builder().id(at.id().toString()).build()), 0));
			}
			else if (resume instanceof Resume.Replay replay) {
				start = replay(topic, replay.after(), replay.upTo());
			}
			else if (resume instanceof Resume.Reset reset) {
				start = one(reset(topic, reset.id().toString()));
			}
			else {
				start = NOTHING;
			}
			markUp();
			return start;
		}
		catch (RuntimeException ex) {
			markDown(ex);
			return away(topic, lastEventId);
		}
	}

	/** Redis went away while the start was read: the stream cannot be resumed now; say so rather than pretend. */
	private EncodedEvents[] away(String topic, @Nullable String lastEventId) {
		return (lastEventId != null) ? one(reset(topic, lastEventId)) : NOTHING;
	}

	private static EncodedEvents[] one(EncodedEvents events) {
		return new EncodedEvents[] { events };
	}

	private EncodedEvents reset(String topic, String id) {
		SseEvent reset = SseEvent.builder().name(RESET_EVENT).data(topic)
			.id((StreamId.parse(id) != null) ? id : null).build();
		return EncodedEvents.of(this.encoder.encode(reset));
	}

	/**
	 * The entries after {@code after} up to {@code upTo}, one shared block per event; bounded like a replay on one
	 * instance: more than {@link #maxReplayEvents} events or {@code sse.replay.max-bytes} bytes get {@code sse-reset}
	 * instead (the client missed more than a replay may hold). Read {@link #REPLAY_PAGE} records at a time, so that
	 * no more than the bound and one page is ever held.
	 */
	private EncodedEvents[] replay(String topic, StreamId after, StreamId upTo) {
		List<EncodedEvents> events = new ArrayList<>();
		long bytes = 0;
		StreamId from = after;
		while (true) {
			List<MapRecord<String, Object, Object>> page = this.redis.opsForStream()
				.range(key(topic), Range.of(Range.Bound.exclusive(from.toString()), Range.Bound.inclusive(upTo.toString())),
						Limit.limit().count(REPLAY_PAGE));
			if (page == null || page.isEmpty()) {
				return events.toArray(NOTHING);
			}
			for (MapRecord<String, Object, Object> record : page) {
				EncodedEvents event = EncodedEvents.of(encode(record));
				bytes += event.bytes().length;
				events.add(event);
				if (bytes > this.maxReplayBytes || events.size() > this.maxReplayEvents) {
					return one(reset(topic, upTo.toString()));
				}
			}
			if (page.size() < REPLAY_PAGE) {
				return events.toArray(NOTHING);
			}
			from = StreamId.of(page.get(page.size() - 1).getId().getValue());
		}
	}

	private byte[] encode(MapRecord<String, Object, Object> record) {
		Object value = record.getValue().get(FIELD);
		byte[] withoutId = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
		return this.encoder.withId(record.getId().getValue(), withoutId);
	}

	private StreamId lastId(String topic) {
		List<MapRecord<String, Object, Object>> last = this.redis.opsForStream()
			.reverseRange(key(topic), Range.unbounded(), Limit.limit().count(1));
		return (last == null || last.isEmpty()) ? StreamId.ZERO : StreamId.of(last.get(0).getId().getValue());
	}

	private @Nullable StreamId firstId(String topic) {
		List<MapRecord<String, Object, Object>> first = this.redis.opsForStream()
			.range(key(topic), Range.unbounded(), Limit.limit().count(1));
		return (first == null || first.isEmpty()) ? null : StreamId.of(first.get(0).getId().getValue());
	}

	private void unsubscribe(LocalTopic topic, DefaultEventChannel channel) {
		synchronized (topic) {
			topic.subscribers.remove(channel);
			if (!topic.removed && topic.subscribers.isEmpty()) {
				forget(topic);
			}
		}
	}

	private void forget(LocalTopic topic) {
		topic.removed = true;
		this.topics.remove(topic.name, topic);
	}

	/**
	 * One turn of the reader: every {@link #SWEEP} (and after a failure) it reads every local topic; then it waits on
	 * {@code connection}, its own, for wake-ups, up to {@code block}, and reads the local topics they name. Returns
	 * how many wake-ups it read.
	 * @throws RuntimeException when Redis is unreachable (the reader backs off and calls again)
	 */
	int read(RedisConnection connection, Duration block) {
		long now = System.nanoTime();
		boolean sweep = this.sweepNext || now - this.lastSweep >= SWEEP.toNanos();
		if (this.checkRunId || sweep) {
			// a restart is looked for with every sweep too: a master may restart between two reads, unseen
			checkRunId();
		}
		if (this.wakePosition == null) {
			this.wakePosition = lastId(this.wakeKey);
		}
		if (sweep) {
			sweep();
			this.lastSweep = now;
			this.sweepNext = false;
		}
		if (now - this.lastRenewal >= this.renewEveryNanos) {
			renewExpiries();
			this.lastRenewal = now;
		}
		StreamId after = Objects.requireNonNull(this.wakePosition, "set above");
		@SuppressWarnings("unchecked")
		List<ByteRecord> wakes = connection.streamCommands()
			.xRead(StreamReadOptions.empty().count(WAKE_COUNT).block(block),
					StreamOffset.create(this.wakeKeyBytes, ReadOffset.from(after.toString())));
		if (wakes == null || wakes.isEmpty()) {
			markUp();
			return 0;
		}
		// a wake-up that carries its event (standalone: written with it, atomically, in stream order) is delivered
		// as it is when it follows what the topic's subscribers got last; otherwise (a wake-up before it was lost,
		// or one that only names its topic, on Cluster) the topic is read, and so is every later one of it
		Map<String, LocalTopic> toRead = new LinkedHashMap<>();
		for (ByteRecord wake : wakes) {
			Wake parsed = Wake.of(wake.getValue());
			LocalTopic topic = (parsed.topic() != null) ? this.topics.get(parsed.topic()) : null;
			if (topic == null) {
				continue;
			}
			if (toRead.containsKey(topic.name) || !deliver(topic, parsed)) {
				toRead.putIfAbsent(topic.name, topic);
			}
		}
		StreamId last = StreamId.of(wakes.get(wakes.size() - 1).getId().getValue());
		if (wakes.size() >= WAKE_COUNT) {
			StreamId first = firstId(this.wakeKey);
			// wake-ups were trimmed before this reader saw them: which topics they named is unknown
			this.sweepNext = first != null && first.isAfter(after);
		}
		readAll(new ArrayList<>(toRead.values()));
		this.wakePosition = last;
		markUp();
		return wakes.size();
	}

	/**
	 * Delivers the event a wake-up carried when it directly follows the topic's position; returns whether the topic
	 * is now up to it ({@code true} too when a sweep or a read got it already), {@code false} when the topic must be
	 * read instead: the wake-up carries no event, or an entry of the topic may lie between the position and it.
	 */
	private boolean deliver(LocalTopic topic, Wake wake) {
		StreamId id = wake.id();
		StreamId previous = wake.previous();
		byte[] withoutId = wake.event();
		if (id == null || previous == null || withoutId == null) {
			return false;
		}
		positionOf(topic);
		synchronized (topic) {
			StreamId position = topic.position;
			if (position == null) {
				return false;
			}
			if (!id.isAfter(position)) {
				return true;
			}
			if (!previous.equals(position)) {
				return false;
			}
			topic.subscribers.deliver(EncodedEvents.of(this.encoder.withId(id.toString(), withoutId)));
			topic.position = id;
			return true;
		}
	}

	/**
	 * The fields of a wake-up: its topic, and on standalone the entry's id, the id of the topic's entry before it and
	 * the encoded event.
	 */
	private record Wake(@Nullable String topic, @Nullable StreamId id, @Nullable StreamId previous,
			byte @Nullable [] event) {

		static Wake of(Map<byte[], byte[]> fields) {
			String topic = null;
			StreamId id = null;
			StreamId previous = null;
			byte[] event = null;
			for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
				switch (new String(field.getKey(), StandardCharsets.UTF_8)) {
					case WAKE_FIELD -> topic = text(field.getValue());
					case WAKE_ID -> id = StreamId.parse(text(field.getValue()));
					case WAKE_PREVIOUS -> previous = StreamId.parse(text(field.getValue()));
					case FIELD -> event = field.getValue();
					default -> {
					}
				}
			}
			return new Wake(topic, id, previous, event);
		}

		private static String text(byte[] value) {
			return new String(value, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Renews the expiry of every topic with local subscribers, so that it outlives {@code sse.replay.idle-expiry}
	 * while read: one script per batch of keys (of one hash slot on Cluster, as every read here).
	 */
	private void renewExpiries() {
		for (List<LocalTopic> batch : batches(new ArrayList<>(this.topics.values()))) {
			this.redis.execute(RENEW, batch.stream().map((topic) -> key(topic.name)).toList(), this.expiryMillis);
		}
	}

	/** Makes the reader's next turn read every local topic: when it starts (again). */
	void sweepNext() {
		this.sweepNext = true;
	}

	/** Reads every local topic (the run_id check before it is the health ping). */
	private void sweep() {
		readAll(new ArrayList<>(this.topics.values()));
	}

	/** Reads {@code topics} from their positions until none has more (a read takes {@link #READ_COUNT} at most). */
	private void readAll(List<LocalTopic> topics) {
		List<LocalTopic> toRead = topics;
		while (!toRead.isEmpty()) {
			toRead.forEach(this::positionOf);
			List<LocalTopic> more = new ArrayList<>();
			for (List<LocalTopic> batch : batches(toRead)) {
				more.addAll(readOnce(batch));
			}
			toRead = more;
		}
	}

	/**
	 * The topics to read in commands of at most {@link #KEYS_PER_READ} keys, so that neither a command nor its reply
	 * grows with the number of topics; on Redis Cluster, each command's keys share a hash slot, since a command over
	 * keys of several slots is refused ({@code CROSSSLOT}).
	 */
	private List<List<LocalTopic>> batches(List<LocalTopic> active) {
		Map<Integer, List<LocalTopic>> bySlot = new LinkedHashMap<>();
		boolean cluster = isCluster();
		for (LocalTopic topic : active) {
			int slot = cluster ? ClusterSlotHashUtil.calculateSlot(key(topic.name)) : 0;
			bySlot.computeIfAbsent(slot, (key) -> new ArrayList<>()).add(topic);
		}
		List<List<LocalTopic>> batches = new ArrayList<>();
		for (List<LocalTopic> group : bySlot.values()) {
			for (int from = 0; from < group.size(); from += KEYS_PER_READ) {
				batches.add(group.subList(from, Math.min(from + KEYS_PER_READ, group.size())));
			}
		}
		return batches;
	}

	/** Whether Redis is a cluster: asked once, when a connection is first made. */
	private boolean isCluster() {
		Boolean cluster = this.cluster;
		if (cluster == null) {
			cluster = Boolean.TRUE.equals(
					this.redis.execute((RedisCallback<Boolean>) (connection) -> connection instanceof RedisClusterConnection));
			this.cluster = cluster;
		}
		return cluster;
	}

	/**
	 * After Redis was unreachable: if it is another run of the server (a restart), entries not yet delivered here may
	 * be gone, so every local subscriber is told with sse-reset, then gets what the new run holds. On
	 * Cluster each master has its own run: only the topics whose streams a restarted master holds are reset.
	 */
	private void checkRunId() {
		Map<String, String> runIds = runIds();
		Map<String, String> before = this.runIds;
		Set<String> restarted = new HashSet<>();
		runIds.forEach((node, runId) -> {
			String was = before.get(node);
			if (was != null && !was.equals(runId)) {
				restarted.add(node);
			}
		});
		if (!restarted.isEmpty()) {
			logger.warn("Redis restarted (run_id changed" + (isCluster() ? " on " + restarted : "")
					+ "): SSE subscribers of its topics here get sse-reset, since events may be lost");
			for (LocalTopic topic : onNodes(restarted)) {
				synchronized (topic) {
					// the reader goes on from its position: a new run's ids are newer (they start at its clock), so
					// what was published since the restart, before it was noticed, is delivered, not skipped
					StreamId position = topic.position;
					if (position != null) {
						topic.subscribers.deliver(reset(topic.name, position.toString()));
					}
				}
			}
			// the wake-up stream may be gone too
			this.wakePosition = null;
			this.sweepNext = true;
		}
		Map<String, String> merged = new HashMap<>(before);
		merged.putAll(runIds);
		this.runIds = merged;
		this.checkRunId = false;
		markUp();
	}

	/** Each server's run_id: one ({@code ""}) on standalone, one per node ({@code host:port}) on Cluster. */
	private Map<String, String> runIds() {
		Properties info = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("server"));
		Map<String, String> runIds = new HashMap<>();
		if (info != null) {
			// a cluster connection prefixes each node's properties with "host:port."
			info.stringPropertyNames().stream().filter((name) -> name.endsWith("run_id")).forEach((name) -> {
				String node = name.substring(0, Math.max(name.length() - "run_id".length() - 1, 0));
				runIds.put(node, info.getProperty(name));
			});
		}
		return runIds;
	}

	/** The local topics whose streams live on one of {@code nodes}: all of them on standalone. */
	private List<LocalTopic> onNodes(Set<String> nodes) {
		List<LocalTopic> topics = new ArrayList<>(this.topics.values());
		return Objects.requireNonNull(this.redis.execute((RedisCallback<List<LocalTopic>>) (connection) -> {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return topics;
			}
			return topics.stream()
				.filter((topic) -> nodes.contains(
						cluster.clusterGetNodeForKey(key(topic.name).getBytes(StandardCharsets.UTF_8)).asString()))
				.toList();
		}), "the callback answers");
	}

	/** One read of {@code active}, all of one slot; returns the topics that may have more (their read was full). */
	@SuppressWarnings("unchecked")
	private List<LocalTopic> readOnce(List<LocalTopic> active) {
		StreamOffset<String>[] offsets = active.stream()
			.map((topic) -> StreamOffset.create(key(topic.name),
					ReadOffset.from(Objects.requireNonNull(topic.position, "set by readAll()").toString())))
			.toArray(StreamOffset[]::new);
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.read(StreamReadOptions.empty().count(READ_COUNT), offsets);
		if (records == null || records.isEmpty()) {
			return List.of();
		}
		Map<String, LocalTopic> byKey = new LinkedHashMap<>();
		active.forEach((topic) -> byKey.put(key(topic.name), topic));
		Map<LocalTopic, List<MapRecord<String, Object, Object>>> byTopic = new LinkedHashMap<>();
		for (MapRecord<String, Object, Object> record : records) {
			LocalTopic topic = byKey.get(record.getStream());
			if (topic != null) {
				byTopic.computeIfAbsent(topic, (key) -> new ArrayList<>()).add(record);
			}
		}
		byTopic.forEach(this::deliver);
		List<LocalTopic> more = new ArrayList<>();
		byTopic.forEach((topic, read) -> {
			if (read.size() >= READ_COUNT) {
				more.add(topic);
			}
		});
		return more;
	}

	/**
	 * Delivers what one read returned for {@code topic}, after {@code sse-reset} when the stream was trimmed past
	 * the reader's position meanwhile (a reader cut off from Redis, a long pause, a small replay size): the events in
	 * between are gone, and the subscribers must know rather than skip them.
	 */
	private void deliver(LocalTopic topic, List<MapRecord<String, Object, Object>> records) {
		StreamId before = Objects.requireNonNull(topic.position, "set by readAll()");
		// entries after the reader's position were trimmed only if at least the trim length of them remain
		int trimLength = Math.min(Math.max(this.replaySize, 1), READ_COUNT);
		boolean gap = records.size() >= trimLength && trimmedPast(topic.name, before);
		synchronized (topic) {
			StreamId position = topic.position;
			if (gap && before.equals(position)) {
				logger.warn("An SSE topic's Redis stream was trimmed past this instance's reader (it fell behind by more "
						+ "than sse.replay.size events); its local subscribers get sse-reset");
				topic.subscribers.deliver(reset(topic.name, position.toString()));
			}
			for (MapRecord<String, Object, Object> record : records) {
				StreamId id = StreamId.of(record.getId().getValue());
				if (position != null && id.isAfter(position)) {
					topic.subscribers.deliver(EncodedEvents.of(encode(record)));
					topic.position = id;
					position = id;
				}
			}
		}
	}

	/**
	 * Whether entries after {@code position} were trimmed from {@code topic}'s stream: its first entry is newer. From
	 * an empty stream's position ({@code 0-0}) Redis 7 says exactly, by entries added against entries held.
	 */
	private boolean trimmedPast(String topic, StreamId position) {
		StreamInfo.XInfoStream info = this.redis.opsForStream().info(key(topic));
		String firstEntry = info.firstEntryId();
		StreamId first = (firstEntry != null) ? StreamId.parse(firstEntry) : null;
		if (first == null || !first.isAfter(position)) {
			return false;
		}
		Object added = info.getRaw().get("entries-added");
		if (position.equals(StreamId.ZERO) && added instanceof Long entriesAdded) {
			return entriesAdded > info.streamLength();
		}
		return true;
	}

	private String key(String topic) {
		return this.prefix + topic;
	}

	private void markUp() {
		if (!this.up) {
			logger.info("Redis is reachable again: SSE fan-out resumes");
		}
		this.up = true;
		this.lastError = null;
	}

	void markDown(Throwable ex) {
		if (this.up) {
			logger.warn("Redis is unreachable for SSE topics: " + describe(ex) + "; retrying with backoff");
		}
		this.up = false;
		this.lastError = describe(ex);
		this.checkRunId = true;
		this.sweepNext = true;
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

	/** One topic with local subscribers; its fields are guarded by its monitor (position is also read outside). */
	private static final class LocalTopic {

		final String name;

		final TopicSubscribers subscribers = new TopicSubscribers();

		/** The last stream id delivered to local subscribers; {@code null} until Redis has been asked. */
		volatile @Nullable StreamId position;

		boolean removed;

		LocalTopic(String name) {
			this.name = name;
		}

	}

}

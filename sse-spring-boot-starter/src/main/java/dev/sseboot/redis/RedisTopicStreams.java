package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Every Redis command of the multi-node mode, and the layout of its keys: one stream per topic
 * ({@code sse:topic:<name>}, trimmed to about the replay size, expiring after the idle expiry), and one wake-up stream
 * ({@code sse:wake}) that every publish also appends to, which readers wait on. Each method is one command or script
 * (a read of several streams is one command per hash slot on Cluster); each throws when Redis does not answer, and
 * its caller decides what that means.
 */
final class RedisTopicStreams {

	/** An entry's field holding its encoded event, without its id (the entry's id becomes the event's). */
	static final String FIELD = "e";

	/** A wake-up's field naming its topic. */
	static final String WAKE_TOPIC = "t";

	/** A wake-up's field for the id of the entry it carries (standalone only). */
	static final String WAKE_ID = "i";

	/** A wake-up's field for the id of the topic's entry before the one it carries ({@code 0-0}: none). */
	static final String WAKE_PREVIOUS = "p";

	/**
	 * Wake-ups the stream keeps (on standalone each holds its event: this bounds their Redis memory); a reader
	 * further behind sweeps every topic instead.
	 */
	static final String WAKE_LENGTH = "1000";

	/** Wake-ups one read takes at most. */
	static final int WAKE_COUNT = 500;

	/** Streams one read names at most. */
	static final int KEYS_PER_READ = 64;

	/** Entries one read takes per stream at most. */
	static final int READ_COUNT = 1_000;

	/** Records one replay read takes from Redis at most: what a replay holds before its bounds are checked. */
	static final int REPLAY_PAGE = 100;

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

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String wakeKey;

	private final byte[] wakeKeyBytes;

	/** The trim length of a topic's stream: the replay size, at least 1. */
	private final String length;

	/** {@code sse.replay.idle-expiry} in milliseconds: how long keys live after their last publish or renewal. */
	private final String expiryMillis;

	/** Whether Redis is a cluster; {@code null} until a connection said. */
	private volatile @Nullable Boolean cluster;

	RedisTopicStreams(StringRedisTemplate redis, String prefix, String wakeKey, int replaySize, Duration idleExpiry) {
		this.redis = redis;
		this.prefix = prefix;
		this.wakeKey = wakeKey;
		this.wakeKeyBytes = wakeKey.getBytes(StandardCharsets.UTF_8);
		this.length = String.valueOf(Math.max(replaySize, 1));
		this.expiryMillis = String.valueOf(Math.max(idleExpiry.toMillis(), 1));
	}

	/**
	 * Appends {@code encoded} to {@code topic}'s stream, with its wake-up on standalone (on Cluster see
	 * {@link #wake(String)}), and returns the entry's id.
	 */
	String publish(String topic, String encoded) {
		String id = isCluster() ? this.redis.execute(APPEND, List.of(key(topic)), this.length, encoded,
				this.expiryMillis)
				: this.redis.execute(PUBLISH, publishKeys(topic), publishArgs(topic, encoded));
		return Objects.requireNonNull(id, "the script returns the entry's id");
	}

	/** The wake-up of a publish to {@code topic} on Cluster, which lives in another slot: a second command. */
	void wake(String topic) {
		this.redis.execute(WAKE, List.of(this.wakeKey), WAKE_LENGTH, topic, this.expiryMillis);
	}

	/** The keys of {@link #PUBLISH_SCRIPT} for {@code topic}. */
	List<String> publishKeys(String topic) {
		return List.of(key(topic), this.wakeKey);
	}

	/** The arguments of {@link #PUBLISH_SCRIPT} for {@code topic} and its {@code encoded} event. */
	Object[] publishArgs(String topic, String encoded) {
		return new Object[] { this.length, encoded, WAKE_LENGTH, topic, this.expiryMillis };
	}

	/** The id of {@code topic}'s last entry; {@link StreamId#ZERO} when its stream is empty or gone. */
	StreamId lastId(String topic) {
		return lastIdOfKey(key(topic));
	}

	/** The id of the wake-up stream's last entry. */
	StreamId lastWakeId() {
		return lastIdOfKey(this.wakeKey);
	}

	private StreamId lastIdOfKey(String key) {
		List<MapRecord<String, Object, Object>> last = this.redis.opsForStream()
			.reverseRange(key, Range.unbounded(), Limit.limit().count(1));
		return (last == null || last.isEmpty()) ? StreamId.ZERO : StreamId.of(last.get(0).getId().getValue());
	}

	/** The id of {@code topic}'s first entry; {@code null} when its stream is empty or gone. */
	@Nullable StreamId firstId(String topic) {
		return firstIdOfKey(key(topic));
	}

	/** The id of the wake-up stream's first entry; {@code null} when it is empty or gone. */
	@Nullable StreamId firstWakeId() {
		return firstIdOfKey(this.wakeKey);
	}

	private @Nullable StreamId firstIdOfKey(String key) {
		List<MapRecord<String, Object, Object>> first = this.redis.opsForStream()
			.range(key, Range.unbounded(), Limit.limit().count(1));
		return (first == null || first.isEmpty()) ? null : StreamId.of(first.get(0).getId().getValue());
	}

	/** Up to {@link #REPLAY_PAGE} entries of {@code topic} after {@code after}, up to {@code upTo} inclusive. */
	List<MapRecord<String, Object, Object>> page(String topic, StreamId after, StreamId upTo) {
		List<MapRecord<String, Object, Object>> page = this.redis.opsForStream()
			.range(key(topic), Range.of(Range.Bound.exclusive(after.toString()),
					Range.Bound.inclusive(upTo.toString())),
					Limit.limit().count(REPLAY_PAGE));
		return (page != null) ? page : List.of();
	}

	/**
	 * One read of the given topics' streams after their positions, all of one hash slot on Cluster: up to
	 * {@link #READ_COUNT} entries per topic, by topic name.
	 */
	@SuppressWarnings("unchecked")
	Map<String, List<MapRecord<String, Object, Object>>> read(Map<String, StreamId> positions) {
		StreamOffset<String>[] offsets = positions.entrySet()
			.stream()
			.map((position) -> StreamOffset.create(key(position.getKey()),
					ReadOffset.from(position.getValue().toString())))
			.toArray(StreamOffset[]::new);
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
			.read(StreamReadOptions.empty().count(READ_COUNT), offsets);
		Map<String, List<MapRecord<String, Object, Object>>> byTopic = new LinkedHashMap<>();
		if (records != null) {
			for (MapRecord<String, Object, Object> record : records) {
				String stream = record.getStream();
				if (stream != null && stream.startsWith(this.prefix)) {
					byTopic.computeIfAbsent(stream.substring(this.prefix.length()),
							(key) -> new ArrayList<>()).add(record);
				}
			}
		}
		return byTopic;
	}

	/**
	 * Waits on {@code connection} up to {@code block} for wake-ups after {@code after}: at most {@link #WAKE_COUNT}.
	 * Spring Data Redis sends a blocking read over the connection's dedicated one, so the reader holds its own.
	 */
	List<ByteRecord> readWakes(RedisConnection connection, StreamId after, Duration block) {
		List<ByteRecord> wakes = connection.streamCommands()
			.xRead(StreamReadOptions.empty().count(WAKE_COUNT).block(block),
					StreamOffset.create(this.wakeKeyBytes, ReadOffset.from(after.toString())));
		return (wakes != null) ? wakes : List.of();
	}

	/**
	 * Whether entries after {@code position} were trimmed from {@code topic}'s stream: its first entry is newer. From
	 * an empty stream's position ({@code 0-0}) Redis 7 says exactly, by entries added against entries held.
	 */
	boolean trimmedPast(String topic, StreamId position) {
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

	/** Renews the expiry of the given topics' keys, all of one hash slot on Cluster. */
	void renew(List<String> topics) {
		this.redis.execute(RENEW, topics.stream().map(this::key).toList(), this.expiryMillis);
	}

	/** Each Redis server's run_id: one ({@code ""}) on standalone, one per node ({@code host:port}) on Cluster. */
	Map<String, String> runIds() {
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

	/** Those of {@code topics} whose streams live on one of {@code nodes}: all of them on standalone. */
	<T> List<T> onNodes(Set<String> nodes, List<T> topics, Function<T, String> nameOf) {
		return Objects.requireNonNull(this.redis.execute((RedisCallback<List<T>>) (connection) -> {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return topics;
			}
			return topics.stream()
				.filter((topic) -> nodes.contains(cluster
					.clusterGetNodeForKey(key(nameOf.apply(topic)).getBytes(StandardCharsets.UTF_8)).asString()))
				.toList();
		}), "the callback answers");
	}

	/**
	 * {@code topics} in batches of at most {@link #KEYS_PER_READ}, so that neither a command nor its reply grows with
	 * the number of topics; on Redis Cluster, each batch's keys share a hash slot, since a command over keys of
	 * several slots is refused ({@code CROSSSLOT}).
	 */
	<T> List<List<T>> batches(List<T> topics, Function<T, String> nameOf) {
		Map<Integer, List<T>> bySlot = new LinkedHashMap<>();
		boolean cluster = isCluster();
		for (T topic : topics) {
			int slot = cluster ? ClusterSlotHashUtil.calculateSlot(key(nameOf.apply(topic))) : 0;
			bySlot.computeIfAbsent(slot, (key) -> new ArrayList<>()).add(topic);
		}
		List<List<T>> batches = new ArrayList<>();
		for (List<T> group : bySlot.values()) {
			for (int from = 0; from < group.size(); from += KEYS_PER_READ) {
				batches.add(group.subList(from, Math.min(from + KEYS_PER_READ, group.size())));
			}
		}
		return batches;
	}

	/** Whether Redis is a cluster: asked once, when a connection is first made. */
	boolean isCluster() {
		Boolean cluster = this.cluster;
		if (cluster == null) {
			RedisCallback<Boolean> isCluster = (connection) -> connection instanceof RedisClusterConnection;
			cluster = Boolean.TRUE.equals(this.redis.execute(isCluster));
			this.cluster = cluster;
		}
		return cluster;
	}

	private String key(String topic) {
		return this.prefix + topic;
	}

}

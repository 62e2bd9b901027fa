package dev.sseboot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * One turn of an instance's reader, and the state only the reader keeps: where it is in the wake-up stream, when it
 * last swept and renewed, and each Redis server's run. A turn reads every local topic every {@link #SWEEP} (and after
 * a failure), renews the expiry of local topics every third of the idle expiry, then waits for wake-ups on the
 * reader's own connection and delivers what they carry, or reads the topics they name. Turns are taken by one thread
 * ({@link RedisReader}), one at a time.
 */
final class RedisReaderTurn {

	private static final Log logger = LogFactory.getLog(RedisReaderTurn.class);

	/**
	 * How often the reader reads every local topic whether woken or not: for an entry whose wake-up was lost (a
	 * publisher that died between the two commands on Cluster). It also checks each server's run_id then (a
	 * restart), which is the reader's health ping.
	 */
	static final Duration SWEEP = Duration.ofSeconds(2);

	private final RedisTopicStreams streams;

	private final LocalTopics topics;

	private final RedisEvents events;

	private final RedisHealth health;

	/** The trim length of a topic's stream, as far as a gap check goes. */
	private final int trimLength;

	/** How often the expiry of subscribed topics is renewed. */
	private final long renewEveryNanos;

	/** The last wake-up seen; {@code null} until Redis was asked (again, after a restart). */
	private @Nullable StreamId wakePosition;

	/** Whether the next turn reads every local topic first; it also does every {@link #SWEEP}. */
	private volatile boolean sweepNext = true;

	private long lastSweep;

	private long lastRenewal;

	/** Each Redis server's run_id when last seen; a new one means a restart that may have lost entries. */
	private Map<String, String> runIds = Map.of();

	/** Whether the next turn must first check the run_ids: at start and after Redis was unreachable. */
	private boolean checkRunId = true;

	/** The failures {@link RedisHealth} had counted at the last turn: a new one means Redis was unreachable. */
	private long failuresSeen;

	RedisReaderTurn(RedisTopicStreams streams, LocalTopics topics, RedisEvents events, RedisHealth health,
			int replaySize, Duration renewEvery) {
		this.streams = streams;
		this.topics = topics;
		this.events = events;
		this.health = health;
		this.trimLength = Math.min(Math.max(replaySize, 1), RedisTopicStreams.READ_COUNT);
		this.renewEveryNanos = renewEvery.toNanos();
	}

	/** Makes the next turn read every local topic: when the reader starts (again). */
	void sweepNext() {
		this.sweepNext = true;
	}

	/**
	 * One turn: every {@link #SWEEP} (and after a failure) it reads every local topic; then it waits on
	 * {@code connection}, the reader's own, for wake-ups, up to {@code block}, and reads the local topics they name.
	 * Returns how many wake-ups it read.
	 * @throws RuntimeException when Redis is unreachable (the reader backs off and takes another turn)
	 */
	int take(RedisConnection connection, Duration block) {
		long failures = this.health.failures();
		if (failures != this.failuresSeen) {
			// Redis was unreachable meanwhile, for this reader or another caller: look for a restart, read everything
			this.failuresSeen = failures;
			this.checkRunId = true;
			this.sweepNext = true;
		}
		long now = System.nanoTime();
		boolean sweep = this.sweepNext || now - this.lastSweep >= SWEEP.toNanos();
		if (this.checkRunId || sweep) {
			// a restart is looked for with every sweep too: a master may restart between two reads, unseen
			checkRunId();
		}
		if (this.wakePosition == null) {
			this.wakePosition = this.streams.lastWakeId();
		}
		if (sweep) {
			readAll(this.topics.all());
			this.lastSweep = now;
			this.sweepNext = false;
		}
		if (now - this.lastRenewal >= this.renewEveryNanos) {
			renewExpiries();
			this.lastRenewal = now;
		}
		StreamId after = Objects.requireNonNull(this.wakePosition, "set above");
		List<ByteRecord> wakes = this.streams.readWakes(connection, after, block);
		if (wakes.isEmpty()) {
			this.health.markUp();
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
		if (wakes.size() >= RedisTopicStreams.WAKE_COUNT) {
			StreamId first = this.streams.firstWakeId();
			// wake-ups were trimmed before this reader saw them: which topics they named is unknown
			this.sweepNext = first != null && first.isAfter(after);
		}
		readAll(new ArrayList<>(toRead.values()));
		this.wakePosition = last;
		this.health.markUp();
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
		byte[] stored = wake.event();
		if (id == null || previous == null || stored == null) {
			return false;
		}
		this.topics.positionOf(topic);
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
			topic.subscribers.deliver(this.events.withId(id, stored));
			topic.position = id;
			return true;
		}
	}

	/** Reads {@code topics} from their positions until none has more (a read takes a bounded number of entries). */
	private void readAll(List<LocalTopic> topics) {
		List<LocalTopic> toRead = topics;
		while (!toRead.isEmpty()) {
			toRead.forEach(this.topics::positionOf);
			List<LocalTopic> more = new ArrayList<>();
			for (List<LocalTopic> batch : this.streams.batches(toRead, (topic) -> topic.name)) {
				more.addAll(readOnce(batch));
			}
			toRead = more;
		}
	}

	/** One read of {@code batch}, all of one slot; returns the topics that may have more (their read was full). */
	private List<LocalTopic> readOnce(List<LocalTopic> batch) {
		Map<String, StreamId> positions = new LinkedHashMap<>();
		Map<String, LocalTopic> byName = new HashMap<>();
		for (LocalTopic topic : batch) {
			positions.put(topic.name, Objects.requireNonNull(topic.position, "set by readAll()"));
			byName.put(topic.name, topic);
		}
		List<LocalTopic> more = new ArrayList<>();
		this.streams.read(positions).forEach((name, records) -> {
			LocalTopic topic = byName.get(name);
			if (topic != null) {
				deliver(topic, records);
				if (records.size() >= RedisTopicStreams.READ_COUNT) {
					more.add(topic);
				}
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
		boolean gap = records.size() >= this.trimLength && this.streams.trimmedPast(topic.name, before);
		synchronized (topic) {
			StreamId position = topic.position;
			if (gap && before.equals(position)) {
				logger.warn("An SSE topic's Redis stream was trimmed past this instance's reader (it fell behind by "
						+ "more than sse.replay.size events); its local subscribers get sse-reset");
				topic.subscribers.deliver(this.events.reset(topic.name, position.toString()));
			}
			for (MapRecord<String, Object, Object> record : records) {
				StreamId id = StreamId.of(record.getId().getValue());
				if (position != null && id.isAfter(position)) {
					topic.subscribers.deliver(this.events.of(record));
					topic.position = id;
					position = id;
				}
			}
		}
	}

	/**
	 * After Redis was unreachable: if it is another run of the server (a restart), entries not yet delivered here may
	 * be gone, so every local subscriber is told with sse-reset, then gets what the new run holds. On Cluster each
	 * master has its own run: only the topics whose streams a restarted master holds are reset.
	 */
	private void checkRunId() {
		Map<String, String> runIds = this.streams.runIds();
		Map<String, String> before = this.runIds;
		Set<String> restarted = new HashSet<>();
		runIds.forEach((node, runId) -> {
			String was = before.get(node);
			if (was != null && !was.equals(runId)) {
				restarted.add(node);
			}
		});
		if (!restarted.isEmpty()) {
			logger.warn("Redis restarted (run_id changed" + (this.streams.isCluster() ? " on " + restarted : "")
					+ "): SSE subscribers of its topics here get sse-reset, since events may be lost");
			for (LocalTopic topic : this.streams.onNodes(restarted, this.topics.all(), (local) -> local.name)) {
				synchronized (topic) {
					// the reader goes on from its position: a new run's ids are newer (they start at its clock), so
					// what was published since the restart, before it was noticed, is delivered, not skipped
					StreamId position = topic.position;
					if (position != null) {
						topic.subscribers.deliver(this.events.reset(topic.name, position.toString()));
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
		this.health.markUp();
	}

	/**
	 * Renews the expiry of every topic with local subscribers, so that it outlives {@code sse.replay.idle-expiry}
	 * while read: one script per batch of keys (of one hash slot on Cluster, as every read here).
	 */
	private void renewExpiries() {
		for (List<LocalTopic> batch : this.streams.batches(this.topics.all(), (topic) -> topic.name)) {
			this.streams.renew(batch.stream().map((topic) -> topic.name).toList());
		}
	}

}

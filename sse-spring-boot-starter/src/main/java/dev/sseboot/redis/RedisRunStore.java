package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Every Redis command of shared runs, and the layout of their keys: one stream per run
 * ({@code sse:run:{<id>}}: a begin entry, then one entry per event with its sequence, then an end entry), the lease
 * of the instance that runs it ({@code sse:run:{<id>}:lease}, in the same hash slot), and one wake-up stream
 * ({@code sse:runs:wake}) that says which run has new entries, which run to stop, and which run has a client
 * attached on which instance. Every key expires: a run's stream the retention after it ended (while it runs, a lease
 * and the retention after the last renewal), the wake-ups a day after the last.
 */
final class RedisRunStore {

	static final String WAKE_KEY = "sse:runs:wake";

	/** Wake-up fields: events of a run were appended, a stop is asked, a client is attached (and where). */
	static final String WAKE_EVENTS = "r";

	static final String WAKE_STOP = "s";

	static final String WAKE_ATTACHED = "a";

	static final String WAKE_INSTANCE = "i";

	/** Entry fields: the kind (begin, text, event, end), the sequence, and the event's parts or the outcome. */
	private static final String KIND = "k";

	private static final String SEQUENCE = "s";

	private static final String NAME = "n";

	private static final String DATA = "d";

	private static final String RETRY = "r";

	private static final String COMMENT = "c";

	private static final String OUTCOME = "o";

	private static final String WAKE_LENGTH = "10000";

	private static final String WAKE_EXPIRY = String.valueOf(Duration.ofDays(1).toMillis());

	private static final int PAGE = 1_000;

	/**
	 * A run starts: its begin entry (so the stream exists before its first event) and the lease. KEYS: stream,
	 * lease; ARGV: stream expiry ms, lease ms, instance.
	 */
	private static final RedisScript<Long> SHARE = RedisScript.of("""
			redis.call('XADD', KEYS[1], '*', 'k', 'b')
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
			return 1
			""", Long.class);

	/**
	 * Entries of one run, in order. KEYS: stream, lease; ARGV: trim length, stream expiry ms, whether the last entry
	 * ends the run (1: the lease goes), then per entry its field count and fields.
	 */
	private static final RedisScript<Long> APPEND = RedisScript.of("""
			local i = 4
			while i <= #ARGV do
				local count = tonumber(ARGV[i])
				redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, i + 1, i + count))
				i = i + count + 1
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			if ARGV[3] == '1' then
				redis.call('DEL', KEYS[2])
			end
			return 1
			""", Long.class);

	/**
	 * The lease renewed, if it is still this instance's: 0 when it lapsed (the run is lost). KEYS: stream, lease;
	 * ARGV: stream expiry ms, lease ms, instance.
	 */
	private static final RedisScript<Long> RENEW = RedisScript.of("""
			if redis.call('GET', KEYS[2]) ~= ARGV[3] then
				return 0
			end
			redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return 1
			""", Long.class);

	/** A wake-up. KEYS: the wake-up stream; ARGV: length, expiry ms, field, run id, instance. */
	private static final RedisScript<String> WAKE = RedisScript.of("""
			local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', ARGV[3], ARGV[4], 'i', ARGV[5])
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			return id
			""", String.class);

	private final StringRedisTemplate redis;

	private final SseDataSerializer serializer;

	private final String instance;

	private final String trimLength;

	private final String runningExpiry;

	private final String endedExpiry;

	private final String leaseMillis;

	/**
	 * @param serializer how non-text data is stored (as the encoder would write it)
	 * @param instance this instance's name in leases and wake-ups
	 */
	RedisRunStore(StringRedisTemplate redis, SseDataSerializer serializer, String instance, int maxEvents,
			Duration retention, Duration lease) {
		this.redis = redis;
		this.serializer = serializer;
		this.instance = instance;
		this.trimLength = String.valueOf(maxEvents);
		this.endedExpiry = String.valueOf(Math.max(retention.toMillis(), 1));
		this.runningExpiry = String.valueOf(Math.max(retention.plus(lease).toMillis(), 1));
		this.leaseMillis = String.valueOf(Math.max(lease.toMillis(), 1));
	}

	String instance() {
		return this.instance;
	}

	void share(String runId) {
		this.redis.execute(SHARE, keys(runId), this.runningExpiry, this.leaseMillis, this.instance);
	}

	/** Appends {@code entries} (from {@link #event} and {@link #end}) to the run's stream. */
	void append(String runId, List<List<String>> entries, boolean ends) {
		List<String> args = new ArrayList<>();
		args.add(this.trimLength);
		args.add(ends ? this.endedExpiry : this.runningExpiry);
		args.add(ends ? "1" : "0");
		for (List<String> entry : entries) {
			args.add(String.valueOf(entry.size()));
			args.addAll(entry);
		}
		this.redis.execute(APPEND, keys(runId), args.toArray());
	}

	/** Renews the lease; {@code false} when it lapsed or another instance holds it. */
	boolean renew(String runId) {
		Long renewed = this.redis.execute(RENEW, keys(runId), this.runningExpiry, this.leaseMillis, this.instance);
		return renewed != null && renewed == 1;
	}

	void wake(String field, String runId) {
		this.redis.execute(WAKE, List.of(WAKE_KEY), WAKE_LENGTH, WAKE_EXPIRY, field, runId, this.instance);
	}

	boolean exists(String runId) {
		return Boolean.TRUE.equals(this.redis.hasKey(streamKey(runId)));
	}

	boolean leased(String runId) {
		return Boolean.TRUE.equals(this.redis.hasKey(leaseKey(runId)));
	}

	/** Up to a page of the run's entries after {@code after}. */
	List<MapRecord<String, Object, Object>> after(String runId, String after) {
		List<MapRecord<String, Object, Object>> page = this.redis.opsForStream()
			.range(streamKey(runId), Range.of(Range.Bound.exclusive(after), Range.Bound.unbounded()),
					Limit.limit().count(PAGE));
		return (page != null) ? page : List.of();
	}

	/** Waits on {@code connection} (its own) up to {@code block} for wake-ups after {@code after}. */
	List<ByteRecord> wakes(RedisConnection connection, String after, Duration block) {
		List<ByteRecord> wakes = connection.streamCommands()
			.xRead(StreamReadOptions.empty().count(PAGE).block(block),
					StreamOffset.create(WAKE_KEY.getBytes(StandardCharsets.UTF_8), ReadOffset.from(after)));
		return (wakes != null) ? wakes : List.of();
	}

	/** The id of the last wake-up, where a reader that starts now begins ({@code 0-0} when there is none). */
	String lastWake() {
		List<MapRecord<String, Object, Object>> last = this.redis.opsForStream()
			.reverseRange(WAKE_KEY, Range.unbounded(), Limit.limit().count(1));
		return (last == null || last.isEmpty()) ? "0-0" : Objects.requireNonNull(last.get(0).getId().getValue());
	}

	/** An event's entry: text as it is, an event by its parts, anything else as an event of its data serialised. */
	List<String> event(long sequence, Object item) {
		List<String> entry = new ArrayList<>(8);
		entry.add(SEQUENCE);
		entry.add(Long.toString(sequence));
		if (item instanceof CharSequence text) {
			entry.add(KIND);
			entry.add("t");
			entry.add(DATA);
			entry.add(text.toString());
			return entry;
		}
		entry.add(KIND);
		entry.add("e");
		parts(entry, (item instanceof SseEvent event) ? event : SseEvent.of(item));
		return entry;
	}

	/** The end's entry: the outcome, and the run's error event when there is one. */
	List<String> end(SseRun.Outcome outcome, @Nullable SseEvent last) {
		List<String> entry = new ArrayList<>(8);
		entry.add(KIND);
		entry.add("x");
		entry.add(OUTCOME);
		entry.add(outcome.name());
		if (last != null) {
			parts(entry, last);
		}
		return entry;
	}

	private void parts(List<String> entry, SseEvent event) {
		put(entry, NAME, event.name());
		Object data = event.data();
		if (data != null) {
			put(entry, DATA, (data instanceof CharSequence text) ? text.toString() : this.serializer.serialize(data));
		}
		put(entry, RETRY, (event.retry() != null) ? Long.toString(event.retry().toMillis()) : null);
		put(entry, COMMENT, event.comment());
	}

	private static void put(List<String> entry, String field, @Nullable String value) {
		if (value != null) {
			entry.add(field);
			entry.add(value);
		}
	}

	/** What an entry holds. */
	static Entry read(MapRecord<String, Object, Object> record) {
		Map<Object, Object> fields = record.getValue();
		String kind = String.valueOf(fields.get(KIND));
		String id = Objects.requireNonNull(record.getId().getValue());
		Object sequence = fields.get(SEQUENCE);
		long at = (sequence != null) ? Long.parseLong(sequence.toString()) : -1;
		return switch (kind) {
			case "t" -> new Entry(id, at, String.valueOf(fields.get(DATA)), null);
			case "e" -> new Entry(id, at, event(fields), null);
			case "x" -> new Entry(id, at, fields.containsKey(DATA) ? event(fields) : null,
					SseRun.Outcome.valueOf(String.valueOf(fields.get(OUTCOME))));
			default -> new Entry(id, at, null, null);
		};
	}

	private static SseEvent event(Map<Object, Object> fields) {
		SseEvent.Builder event = SseEvent.builder();
		Object name = fields.get(NAME);
		Object data = fields.get(DATA);
		Object retry = fields.get(RETRY);
		Object comment = fields.get(COMMENT);
		event.name((name != null) ? name.toString() : null);
		event.data((data != null) ? data.toString() : null);
		event.retry((retry != null) ? Duration.ofMillis(Long.parseLong(retry.toString())) : null);
		event.comment((comment != null) ? comment.toString() : null);
		return event.build();
	}

	private static List<String> keys(String runId) {
		return List.of(streamKey(runId), leaseKey(runId));
	}

	private static String streamKey(String runId) {
		return "sse:run:{" + runId + "}";
	}

	private static String leaseKey(String runId) {
		return "sse:run:{" + runId + "}:lease";
	}

	/**
	 * One entry of a run's stream.
	 *
	 * @param id the entry's stream id
	 * @param sequence the event's sequence ({@code -1} for the begin and end entries)
	 * @param item the event's item (text or an event), the end's error event, or {@code null} (begin, plain end)
	 * @param outcome the run's outcome when the entry ends it
	 */
	record Entry(String id, long sequence, @Nullable Object item, SseRun.@Nullable Outcome outcome) {

	}

}

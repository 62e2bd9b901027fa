package dev.sseboot.autoconfigure;

import java.time.Duration;
import java.util.Objects;

import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseDefaults;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of sse-boot, under {@code sse}. Defaults live in {@link SseDefaults}.
 */
@ConfigurationProperties("sse")
public class SseProperties {

	/**
	 * Whether sse-boot is active.
	 */
	private boolean enabled = true;

	/**
	 * Maximum lifetime of a stream, after which it is closed with reason TIMEOUT and the client reconnects. None by
	 * default.
	 */
	private @Nullable Duration timeout;

	/**
	 * Lifetime after which a stream is closed so that load balancers can rebalance: each stream closes at a random
	 * moment between 90% and 100% of it (so reconnects spread out), first sending "retry:" with a random delay between
	 * 1 and 5 seconds. The reason is COMPLETED, and a topic subscriber resumes with nothing missed. None by default.
	 */
	private @Nullable Duration maxLifetime;

	/**
	 * Reconnection delay sent to clients as "retry:" at the start of every stream. None by default (browsers then
	 * wait about 3 to 5 seconds).
	 */
	private @Nullable Duration retry;

	/**
	 * Maximum number of open streams on this instance; further requests are refused (see sse.refusal).
	 */
	private int maxConnections = SseDefaults.MAX_CONNECTIONS;

	/**
	 * Maximum number of open streams per client on this instance, the client being the authenticated principal, else
	 * the remote address (behind a proxy, set server.forward-headers-strategy so that it is the client's); further
	 * requests are refused (see sse.refusal). Off by default.
	 */
	private @Nullable Integer maxConnectionsPerClient;

	private final Heartbeat heartbeat = new Heartbeat();

	private final Buffer buffer = new Buffer();

	private final Replay replay = new Replay();

	private final Refusal refusal = new Refusal();

	private final Metrics metrics = new Metrics();

	private final Observation observation = new Observation();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = requirePositive("sse.timeout", timeout);
	}

	public @Nullable Duration getMaxLifetime() {
		return this.maxLifetime;
	}

	public void setMaxLifetime(@Nullable Duration maxLifetime) {
		this.maxLifetime = requirePositive("sse.max-lifetime", maxLifetime);
	}

	public @Nullable Duration getRetry() {
		return this.retry;
	}

	public void setRetry(@Nullable Duration retry) {
		if (retry != null && (retry.isNegative() || retry.getNano() % 1_000_000 != 0)) {
			throw new InvalidConfigurationPropertyValueException("sse.retry", retry,
					"must be zero or more whole milliseconds");
		}
		this.retry = retry;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		if (maxConnections < 1) {
			throw new InvalidConfigurationPropertyValueException("sse.max-connections", maxConnections,
					"must be at least 1");
		}
		this.maxConnections = maxConnections;
	}

	public @Nullable Integer getMaxConnectionsPerClient() {
		return this.maxConnectionsPerClient;
	}

	public void setMaxConnectionsPerClient(@Nullable Integer maxConnectionsPerClient) {
		if (maxConnectionsPerClient != null && maxConnectionsPerClient < 1) {
			throw new InvalidConfigurationPropertyValueException("sse.max-connections-per-client",
					maxConnectionsPerClient, "must be at least 1, or left unset for no limit per client");
		}
		this.maxConnectionsPerClient = maxConnectionsPerClient;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Buffer getBuffer() {
		return this.buffer;
	}

	public Replay getReplay() {
		return this.replay;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Refusal getRefusal() {
		return this.refusal;
	}

	static @Nullable Duration requirePositive(String name, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidConfigurationPropertyValueException(name, value, "must be a positive duration");
		}
		return value;
	}

	/**
	 * How requests refused for capacity or shutdown are answered: sse.max-connections, sse.max-connections-per-client,
	 * the topic limit, an instance shutting down.
	 */
	public static class Refusal {

		/**
		 * How a refused GET stream is answered: "retry" gives 200 text/event-stream with one "retry:" and an
		 * immediate end, so that a browser's EventSource comes back later (it gives up for good on any other status);
		 * "status" gives 503 (429 for the per-client limit) with Retry-After. POST streams always get the status.
		 */
		private Mode mode = Mode.RETRY;

		/**
		 * Delay a refused client is told to wait before it comes back, jittered between half and one and a half times
		 * it so that refused clients spread out: the "retry:" of a refused GET stream, or the Retry-After seconds.
		 */
		private Duration retry = SseDefaults.REFUSAL_RETRY;

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public Duration getRetry() {
			return this.retry;
		}

		public void setRetry(Duration retry) {
			this.retry = Objects.requireNonNull(requirePositive("sse.refusal.retry", retry));
		}

		/** How a refused GET stream is answered. */
		public enum Mode {

			/** 200 text/event-stream with a jittered "retry:" and an immediate end. */
			RETRY,

			/** 503 (429 for the per-client limit) with Retry-After. */
			STATUS

		}

	}

	/**
	 * Heartbeat settings.
	 */
	public static class Heartbeat {

		/**
		 * Idle time after which a heartbeat comment is written on a stream; 0 disables heartbeats. Keep it below the
		 * idle timeout of every proxy and load balancer on the way.
		 */
		private Duration interval = SseDefaults.HEARTBEAT_INTERVAL;

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			if (interval.isNegative()) {
				throw new InvalidConfigurationPropertyValueException("sse.heartbeat.interval", interval,
						"must be zero (disabled) or positive");
			}
			this.interval = interval;
		}

	}

	/**
	 * Per-connection buffer settings.
	 */
	public static class Buffer {

		/**
		 * Events buffered per connection before the overflow policy applies.
		 */
		private int size = SseDefaults.BUFFER_SIZE;

		/**
		 * What sending does when a connection's buffer is full: block (wait up to the send timeout, then close the
		 * slow consumer), drop-oldest, drop-newest, close, or conflate (an event with a key replaces the queued one
		 * with the same key in its place, SseEvent.builder().key(...); otherwise the oldest is dropped).
		 */
		private OverflowPolicy overflow = SseDefaults.OVERFLOW;

		/**
		 * How long the block policy waits for room before closing the connection as a slow consumer.
		 */
		private Duration sendTimeout = SseDefaults.SEND_TIMEOUT;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			if (size < 1) {
				throw new InvalidConfigurationPropertyValueException("sse.buffer.size", size, "must be at least 1");
			}
			this.size = size;
		}

		public OverflowPolicy getOverflow() {
			return this.overflow;
		}

		public void setOverflow(OverflowPolicy overflow) {
			this.overflow = overflow;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			if (sendTimeout.isNegative()) {
				throw new InvalidConfigurationPropertyValueException("sse.buffer.send-timeout", sendTimeout,
						"must be zero or positive");
			}
			this.sendTimeout = sendTimeout;
		}

	}

	/**
	 * Replay settings for topics.
	 */
	public static class Replay {

		/**
		 * Events kept per topic so that a client reconnecting with Last-Event-ID receives what it missed; 0 disables
		 * replay.
		 */
		private int size = SseDefaults.REPLAY_SIZE;

		/**
		 * How long a topic without subscribers keeps its events after its last publish or subscriber; then it is
		 * forgotten, and a client resuming it with an older id gets sse-reset. Bounds the memory of quiet topics.
		 */
		private Duration idleExpiry = SseDefaults.REPLAY_IDLE_EXPIRY;

		/**
		 * Most bytes one client's replay may hold; a client that missed more gets sse-reset instead. A replay shares
		 * the topic's encoded events, so this bounds what one resuming client can keep alive.
		 */
		private DataSize maxBytes = DataSize.ofBytes(SseDefaults.REPLAY_MAX_BYTES);

		public int getSize() {
			return this.size;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			if (maxBytes.toBytes() < 1) {
				throw new InvalidConfigurationPropertyValueException("sse.replay.max-bytes", maxBytes,
						"must be positive: it bounds one client's replay");
			}
			this.maxBytes = maxBytes;
		}

		public Duration getIdleExpiry() {
			return this.idleExpiry;
		}

		public void setIdleExpiry(Duration idleExpiry) {
			if (idleExpiry.isNegative() || idleExpiry.isZero()) {
				throw new InvalidConfigurationPropertyValueException("sse.replay.idle-expiry", idleExpiry,
						"must be positive: it bounds the memory of topics without subscribers");
			}
			this.idleExpiry = idleExpiry;
		}

		public void setSize(int size) {
			if (size < 0) {
				throw new InvalidConfigurationPropertyValueException("sse.replay.size", size,
						"must be zero (disabled) or positive");
			}
			this.size = size;
		}

	}

	/**
	 * Metrics settings.
	 */
	public static class Metrics {

		/**
		 * Whether sse-boot registers its meters when Micrometer and a MeterRegistry are present.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Observation {

		/**
		 * Whether each stream is a Micrometer Observation named sse.stream (a trace span per stream) when an
		 * ObservationRegistry is present.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}

package dev.sseboot.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One timer for all connections: every tick it asks each registered channel that has written nothing for its
 * interval to send a heartbeat comment. Busy channels are skipped; no thread is held per connection, and the timer
 * thread never writes (the channel's drain does, so a failed heartbeat write closes the channel as
 * {@link CloseReason#CLIENT_GONE}).
 * <p>
 * A heartbeat goes out between one interval and one interval plus one tick after the last write.
 */
public final class Heartbeat implements AutoCloseable {

	private final Map<DefaultEventChannel, Long> intervals = new ConcurrentHashMap<>();

	private final @Nullable ScheduledExecutorService scheduler;

	private final boolean owned;

	private @Nullable ScheduledFuture<?> task;

	private Duration tick;

	private Heartbeat(@Nullable ScheduledExecutorService scheduler, Duration tick, boolean owned) {
		this.scheduler = scheduler;
		this.owned = owned;
		this.tick = tick;
		if (scheduler != null) {
			schedule(requirePositive(tick));
		}
	}

	private synchronized void schedule(Duration tick) {
		if (this.task != null) {
			this.task.cancel(false);
		}
		this.tick = tick;
		long tickNanos = tick.toNanos();
		this.task = Objects.requireNonNull(this.scheduler)
			.scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * A heartbeat ticking every {@code tick} on a daemon thread of its own, stopped by {@link #close()}. It ticks
	 * faster when a channel registers with an interval that needs it (see {@link #tickFor(Duration)}).
	 */
	public static Heartbeat start(Duration tick) {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "sse-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		return new Heartbeat(scheduler, tick, true);
	}

	/** A heartbeat ticking every {@code tick} on {@code scheduler}, which the caller owns. */
	public static Heartbeat on(ScheduledExecutorService scheduler, Duration tick) {
		return new Heartbeat(scheduler, tick, false);
	}

	/** A heartbeat that ticks only when {@link #tick()} is called: for tests and custom schedulers. */
	public static Heartbeat manual() {
		return new Heartbeat(null, Duration.ZERO, false);
	}

	/**
	 * A tick suited to {@code interval}: a quarter of it, between 50 ms and 1 s, so heartbeats go out close to the
	 * interval without waking often.
	 */
	public static Duration tickFor(Duration interval) {
		long quarter = Math.max(interval.toMillis() / 4, 50);
		return Duration.ofMillis(Math.min(quarter, 1000));
	}

	/**
	 * Keeps {@code channel} alive with a heartbeat after {@code interval} idle, until the channel closes. A zero
	 * interval does nothing.
	 */
	void register(DefaultEventChannel channel, Duration interval) {
		if (interval.isNegative()) {
			throw new IllegalArgumentException(
					"SSE heartbeat interval must not be negative (got " + interval + "): use 0 to disable heartbeats");
		}
		if (interval.isZero()) {
			return;
		}
		if (this.owned) {
			Duration needed = tickFor(interval);
			synchronized (this) {
				if (needed.compareTo(this.tick) < 0) {
					schedule(needed);
				}
			}
		}
		this.intervals.put(channel, interval.toNanos());
		channel.onClose((reason) -> this.intervals.remove(channel));
	}

	/** One pass over the registered channels. */
	public void tick() {
		this.intervals.forEach(DefaultEventChannel::heartbeatIfIdle);
	}

	/** How many channels are registered. */
	public int size() {
		return this.intervals.size();
	}

	/** The current tick period. */
	public synchronized Duration tickPeriod() {
		return this.tick;
	}

	@Override
	public synchronized void close() {
		if (this.task != null) {
			this.task.cancel(false);
		}
		if (this.owned && this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		this.intervals.clear();
	}

	private static Duration requirePositive(Duration tick) {
		if (tick.isNegative() || tick.isZero()) {
			throw new IllegalArgumentException("SSE heartbeat tick must be positive (got " + tick + ")");
		}
		return tick;
	}

}

package dev.sseboot.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * One timer for all connections: a channel that has written nothing for its interval is asked to send a heartbeat
 * comment. No thread is held per connection, and the timer thread never writes (the channel's drain does, so a
 * failed heartbeat write closes the channel as {@link CloseReason#CLIENT_GONE}).
 * <p>
 * A tick costs what is due, not what is registered: each channel waits in a {@link HeartbeatWheel} slot for the time
 * its heartbeat would be due, and a tick visits only the slots whose time has come. A channel that wrote meanwhile is
 * filed again for one interval after its last write, without being asked anything; writes never touch the timer. So
 * at 10,000 streams with a 15 s interval a tick visits about 670 channels a second, however busy they are.
 * <p>
 * A heartbeat goes out between one interval and one interval plus one tick after the last write. The heartbeat
 * measures with its own clock ({@link System#nanoTime()} unless given one): channels it keeps alive must measure with
 * the same one.
 */
public final class Heartbeat implements AutoCloseable {

	private final HeartbeatWheel wheel;

	private final @Nullable ScheduledExecutorService scheduler;

	private final boolean owned;

	private @Nullable ScheduledFuture<?> task;

	private Duration tick;

	private Heartbeat(@Nullable ScheduledExecutorService scheduler, Duration tick, boolean owned, LongSupplier clock) {
		this.scheduler = scheduler;
		this.owned = owned;
		this.tick = tick;
		this.wheel = new HeartbeatWheel(clock, tick.isZero() ? HeartbeatWheel.MANUAL_SLOT : tick);
		if (scheduler != null) {
			schedule(requirePositive(tick));
		}
	}

	private synchronized void schedule(Duration tick) {
		if (this.task != null) {
			this.task.cancel(false);
		}
		this.tick = tick;
		this.wheel.slotWidth(tick);
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
		return new Heartbeat(scheduler, tick, true, System::nanoTime);
	}

	/** A heartbeat ticking every {@code tick} on {@code scheduler}, which the caller owns. */
	public static Heartbeat on(ScheduledExecutorService scheduler, Duration tick) {
		return new Heartbeat(scheduler, tick, false, System::nanoTime);
	}

	/** A heartbeat that ticks only when {@link #tick()} is called: for tests and custom schedulers. */
	public static Heartbeat manual() {
		return manual(System::nanoTime);
	}

	/**
	 * As {@link #manual()}, measuring with {@code nanoClock}: channels that measure with the same clock (see
	 * {@link EventChannelBuilder#nanoClock(LongSupplier)}) get their heartbeats as that clock moves.
	 */
	public static Heartbeat manual(LongSupplier nanoClock) {
		return new Heartbeat(null, Duration.ZERO, false, Objects.requireNonNull(nanoClock, "nanoClock"));
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
		HeartbeatWheel.Entry entry = this.wheel.add(channel, interval.toNanos());
		channel.onClose((reason) -> this.wheel.remove(entry));
	}

	/** Asks every channel whose heartbeat is due, and files the others that came due again for their next one. */
	public void tick() {
		this.wheel.tick();
	}

	/** How many channels are registered. */
	public int size() {
		return this.wheel.size();
	}

	/** How many channels the last tick looked at: those due, not all registered. */
	public int lastVisited() {
		return this.wheel.lastVisited();
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
		this.wheel.clear();
	}

	private static Duration requirePositive(Duration tick) {
		if (tick.isNegative() || tick.isZero()) {
			throw new IllegalArgumentException("SSE heartbeat tick must be positive (got " + tick + ")");
		}
		return tick;
	}

}

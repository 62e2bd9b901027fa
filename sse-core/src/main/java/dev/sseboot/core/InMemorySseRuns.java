package dev.sseboot.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

/**
 * Runs held in this process. A run's events are kept in memory, at most {@code maxEvents} of them; a run is
 * cancelled (outcome {@link SseRun.Outcome#ORPHANED}) once nobody has been attached for the orphan timeout, and
 * forgotten the retention after it ended. The timer only schedules: a cancel runs on the publisher executor, so no
 * timer task waits.
 * <p>
 * With a {@link SseRunSharing} (the starter's Redis mode), runs started here are also shared, and {@link #find}
 * of a run another instance runs gives a copy of it, fed from the shared store and held while clients read it (and
 * the orphan timeout after); {@link #stop} reaches the instance that runs it.
 */
public final class InMemorySseRuns implements SseRuns {

	private final Map<String, LocalRun> runs = new ConcurrentHashMap<>();

	private final long orphanTimeoutNanos;

	private final long retentionNanos;

	private final int maxEvents;

	private final Timer timer;

	private final Executor executor;

	private final @Nullable SseRunSharing sharing;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLongArray ended = new AtomicLongArray(SseRun.Outcome.values().length);

	/** Runs with the defaults of {@link SseDefaults}. */
	public InMemorySseRuns() {
		this(SseDefaults.RUNS_ORPHAN_TIMEOUT, SseDefaults.RUNS_RETENTION, SseDefaults.RUNS_MAX_EVENTS);
	}

	/**
	 * Runs cancelled after {@code orphanTimeout} with nobody attached, kept {@code retention} after they end, each
	 * keeping at most {@code maxEvents} events; on the shared {@link SseExecutors#timer()} and
	 * {@link SseExecutors#publisherExecutor()}.
	 */
	public InMemorySseRuns(Duration orphanTimeout, Duration retention, int maxEvents) {
		this(orphanTimeout, retention, maxEvents, null);
	}

	/**
	 * As {@link #InMemorySseRuns(Duration, Duration, int)}, sharing runs with other instances through
	 * {@code sharing} when it is not {@code null}.
	 */
	public InMemorySseRuns(Duration orphanTimeout, Duration retention, int maxEvents,
			@Nullable SseRunSharing sharing) {
		this(orphanTimeout, retention, maxEvents, timerOf(SseExecutors.timer()), SseExecutors.publisherExecutor(),
				sharing);
	}

	InMemorySseRuns(Duration orphanTimeout, Duration retention, int maxEvents, Timer timer, Executor executor) {
		this(orphanTimeout, retention, maxEvents, timer, executor, null);
	}

	InMemorySseRuns(Duration orphanTimeout, Duration retention, int maxEvents, Timer timer, Executor executor,
			@Nullable SseRunSharing sharing) {
		if (orphanTimeout.isNegative() || orphanTimeout.isZero()) {
			throw new IllegalArgumentException("sse.runs.orphan-timeout must be positive (got " + orphanTimeout
					+ "): a run nobody reads must end some day");
		}
		if (retention.isNegative()) {
			throw new IllegalArgumentException("sse.runs.retention must not be negative (got " + retention + ")");
		}
		if (maxEvents < 1) {
			throw new IllegalArgumentException("sse.runs.max-events must be at least 1 (got " + maxEvents + ")");
		}
		this.orphanTimeoutNanos = EventBuffer.nanos(orphanTimeout);
		this.retentionNanos = EventBuffer.nanos(retention);
		this.maxEvents = maxEvents;
		this.timer = Objects.requireNonNull(timer, "timer");
		this.executor = Objects.requireNonNull(executor, "executor");
		this.sharing = sharing;
		if (sharing != null) {
			sharing.open(this::stopHere);
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public SseRun start(Flow.Publisher<?> publisher) {
		Objects.requireNonNull(publisher, "publisher");
		String id = RunIds.newRunId();
		LocalRun run = new LocalRun(id, this, this.maxEvents, false,
				(this.sharing != null) ? this.sharing.share(id) : null);
		this.runs.put(run.id(), run);
		this.active.incrementAndGet();
		scheduleOrphanCheck(run, 0);
		((Flow.Publisher<Object>) publisher).subscribe(run.upstream());
		return run;
	}

	@Override
	public Optional<SseRun> find(String id) {
		LocalRun run = this.runs.get(id);
		if (run != null || this.sharing == null || !this.sharing.exists(id)) {
			return Optional.ofNullable(run);
		}
		LocalRun copy = new LocalRun(id, this, this.maxEvents, true, null);
		copy.followed(this.sharing.follow(id, copy.copy(), copy::hasReaders));
		LocalRun held = this.runs.putIfAbsent(id, copy);
		if (held != null) {
			copy.orphanCheck(0);
			return Optional.of(held);
		}
		scheduleOrphanCheck(copy, 0);
		return Optional.of(copy);
	}

	@Override
	public boolean stop(String id) {
		LocalRun run = this.runs.get(id);
		return (run != null) ? run.stop(SseRun.Outcome.STOPPED) : stopElsewhere(id);
	}

	@Override
	public int active() {
		return this.active.get();
	}

	@Override
	public long ended(SseRun.Outcome outcome) {
		return this.ended.get(outcome.ordinal());
	}

	/** Runs held now, running or retained. */
	int held() {
		return this.runs.size();
	}

	Executor executor() {
		return this.executor;
	}

	/** Follows the run that {@code copy} copies (again, if it was forgotten), and holds it. */
	void follow(LocalRun copy) {
		SseRunSharing current = Objects.requireNonNull(this.sharing, "sharing");
		if (copy.followed(current.follow(copy.id(), copy.copy(), copy::hasReaders))) {
			this.runs.putIfAbsent(copy.id(), copy);
		}
	}

	/** A copy nobody reads: no longer held (a later find follows the run again). */
	void forget(LocalRun copy) {
		this.runs.remove(copy.id(), copy);
	}

	boolean stopElsewhere(String id) {
		return this.sharing != null && this.sharing.stop(id);
	}

	boolean attachedElsewhere(String id) {
		return this.sharing != null && this.sharing.attachedElsewhere(id);
	}

	/** A stop from another instance, or a lease lost: only a run that runs here. */
	private boolean stopHere(String id, SseRun.Outcome outcome) {
		LocalRun run = this.runs.get(id);
		return run != null && !run.isCopy() && run.stop(outcome);
	}

	void ended(LocalRun run, SseRun.Outcome outcome) {
		if (run.isCopy()) {
			// counted where it ran; the copy is forgotten once nobody reads it
			return;
		}
		this.active.decrementAndGet();
		this.ended.incrementAndGet(outcome.ordinal());
		schedule(() -> this.runs.remove(run.id(), run), this.retentionNanos);
	}

	void scheduleOrphanCheck(LocalRun run, long generation) {
		schedule(() -> run.orphanCheck(generation), this.orphanTimeoutNanos);
	}

	private void schedule(Runnable task, long delayNanos) {
		this.timer.schedule(task, delayNanos);
	}

	private static Timer timerOf(ScheduledExecutorService executor) {
		return (task, delayNanos) -> {
			try {
				executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// the timer is shut down: the process is ending, and its runs with it
			}
		};
	}

	/** Where the orphan checks and expiries are scheduled: a task that never waits, after a delay. */
	@FunctionalInterface
	interface Timer {

		void schedule(Runnable task, long delayNanos);

	}

}

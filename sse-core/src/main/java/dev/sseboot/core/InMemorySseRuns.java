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

/**
 * Runs held in this process. A run's events are kept in memory, at most {@code maxEvents} of them; a run is
 * cancelled (outcome {@link SseRun.Outcome#ORPHANED}) once nobody has been attached for the orphan timeout, and
 * forgotten the retention after it ended. The timer only schedules: a cancel runs on the publisher executor, so no
 * timer task waits.
 */
public final class InMemorySseRuns implements SseRuns {

	private final Map<String, LocalRun> runs = new ConcurrentHashMap<>();

	private final long orphanTimeoutNanos;

	private final long retentionNanos;

	private final int maxEvents;

	private final Timer timer;

	private final Executor executor;

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
		this(orphanTimeout, retention, maxEvents, timerOf(SseExecutors.timer()), SseExecutors.publisherExecutor());
	}

	InMemorySseRuns(Duration orphanTimeout, Duration retention, int maxEvents, Timer timer, Executor executor) {
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
	}

	@Override
	@SuppressWarnings("unchecked")
	public SseRun start(Flow.Publisher<?> publisher) {
		Objects.requireNonNull(publisher, "publisher");
		LocalRun run = new LocalRun(RunIds.newRunId(), this, this.maxEvents);
		this.runs.put(run.id(), run);
		this.active.incrementAndGet();
		scheduleOrphanCheck(run, 0);
		((Flow.Publisher<Object>) publisher).subscribe(run.upstream());
		return run;
	}

	@Override
	public Optional<SseRun> find(String id) {
		return Optional.ofNullable(this.runs.get(id));
	}

	@Override
	public boolean stop(String id) {
		LocalRun run = this.runs.get(id);
		return run != null && run.stop(SseRun.Outcome.STOPPED);
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

	void ended(LocalRun run, SseRun.Outcome outcome) {
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

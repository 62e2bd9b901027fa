package dev.sseboot.autoconfigure;

import java.time.Duration;

import dev.sseboot.core.SseDefaults;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Runs ({@code SseRuns}): publishers whose events outlive the request that started them.
 */
@ConfigurationProperties("sse.runs")
public class SseRunsProperties {

	/**
	 * How long a run goes on with nobody attached before it is cancelled (its publisher's subscription
	 * cancelled: the model call stops).
	 */
	private Duration orphanTimeout = SseDefaults.RUNS_ORPHAN_TIMEOUT;

	/**
	 * How long a run's events are kept after it ended, so that a client that comes back in that time gets the
	 * whole answer; then the run is forgotten and attaching to it answers 204.
	 */
	private Duration retention = SseDefaults.RUNS_RETENTION;

	/**
	 * Events a run keeps: past them the oldest go, and a client attaching before them gets sse-reset first.
	 */
	private int maxEvents = SseDefaults.RUNS_MAX_EVENTS;

	/**
	 * In the Redis mode, how long the instance that runs a run holds it without renewing (it renews every third of
	 * it): when that instance is gone, clients attached elsewhere get an error event within about this long.
	 */
	private Duration lease = Duration.ofSeconds(6);

	public Duration getOrphanTimeout() {
		return this.orphanTimeout;
	}

	public void setOrphanTimeout(Duration orphanTimeout) {
		if (orphanTimeout.isNegative() || orphanTimeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("sse.runs.orphan-timeout", orphanTimeout,
					"must be positive: a run nobody reads must end some day");
		}
		this.orphanTimeout = orphanTimeout;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		if (retention.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("sse.runs.retention", retention,
					"must not be negative");
		}
		this.retention = retention;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		if (lease.compareTo(Duration.ofMillis(300)) < 0) {
			throw new InvalidConfigurationPropertyValueException("sse.runs.lease", lease,
					"must be at least 300ms: it is renewed every third of it");
		}
		this.lease = lease;
	}

	public int getMaxEvents() {
		return this.maxEvents;
	}

	public void setMaxEvents(int maxEvents) {
		if (maxEvents < 1) {
			throw new InvalidConfigurationPropertyValueException("sse.runs.max-events", maxEvents,
					"must be at least 1");
		}
		this.maxEvents = maxEvents;
	}

}

package dev.sseboot.core.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Reconnection delays. Without a server {@code retry}: exponential from {@code initial}, capped at {@code max}, with
 * "equal jitter" (a random point in the upper half of the step). With one: never sooner than the server asked,
 * doubling from it on consecutive failures (capped at the larger of {@code max} and the server's value), and spread
 * over half a step. Either way clients dropped together do not come back together, and a server that refuses them
 * is not hammered at its own retry interval.
 *
 * @param initial the first delay
 * @param max the largest delay
 */
public record Backoff(Duration initial, Duration max) {

	public Backoff {
		if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("SSE client backoff needs 0 < initial <= max (got initial " + initial
					+ ", max " + max + ")");
		}
	}

	/**
	 * The delay before attempt {@code failures} (1 for the first reconnect after a connection that opened) when the
	 * server asked for {@code serverRetry}; without one, {@link #delay(int, DoubleSupplier)}. {@code random} gives
	 * [0, 1).
	 */
	public Duration delay(int failures, @Nullable Duration serverRetry, DoubleSupplier random) {
		if (serverRetry == null) {
			return delay(failures, random);
		}
		long cap = Math.max(this.max.toMillis(), serverRetry.toMillis());
		long step = Math.max(serverRetry.toMillis(), 1);
		for (int i = 1; i < failures && step < cap; i++) {
			step *= 2;
		}
		step = Math.min(step, cap);
		return Duration.ofMillis(step + (long) (random.getAsDouble() * (step / 2 + 1)));
	}

	/** The delay before attempt {@code failures} (1 for the first reconnect); {@code random} gives [0, 1). */
	public Duration delay(int failures, DoubleSupplier random) {
		long step = this.initial.toMillis();
		long cap = this.max.toMillis();
		for (int i = 1; i < failures && step < cap; i++) {
			step *= 2;
		}
		step = Math.min(step, cap);
		long half = step / 2;
		return Duration.ofMillis(step - half + (long) (random.getAsDouble() * (half + 1)));
	}

}

package dev.sseboot.core.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnection delays when the server has sent no {@code retry}: exponential from {@code initial}, capped at
 * {@code max}, with "equal jitter" (a random point in the upper half of the step), so that clients dropped together
 * do not come back together.
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

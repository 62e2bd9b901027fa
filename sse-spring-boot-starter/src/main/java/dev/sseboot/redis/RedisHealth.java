package dev.sseboot.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import dev.sseboot.web.SseBackendHealth;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Whether Redis answered the last command of the multi-node mode, as the {@code sse} health indicator sees it: DOWN
 * with the cause after a failure, UP again after the next success, each change logged once. Every failure is also
 * counted, so that the reader, which may not have seen it, checks for a restart and reads every topic on its next
 * turn.
 */
final class RedisHealth implements SseBackendHealth {

	private static final Log logger = LogFactory.getLog(RedisHealth.class);

	private final IntSupplier localTopics;

	private volatile boolean up = true;

	private volatile @Nullable String lastError;

	private final AtomicLong failures = new AtomicLong();

	/** @param localTopics how many topics this instance has subscribers for, for the details */
	RedisHealth(IntSupplier localTopics) {
		this.localTopics = localTopics;
	}

	@Override
	public Status check() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("localTopics", this.localTopics.getAsInt());
		String error = this.lastError;
		if (!this.up && error != null) {
			details.put("error", error);
		}
		return new Status("redis", this.up, details);
	}

	void markUp() {
		if (!this.up) {
			logger.info("Redis is reachable again: SSE fan-out resumes");
		}
		this.up = true;
		this.lastError = null;
	}

	void markDown(Throwable ex) {
		if (this.up) {
			logger.warn("Redis is unreachable for SSE topics: " + describe(ex) + "; retrying with backoff");
		}
		this.up = false;
		this.lastError = describe(ex);
		this.failures.incrementAndGet();
	}

	/** How many failures were marked so far. */
	long failures() {
		return this.failures.get();
	}

	/** The root cause of {@code ex}, as one line without a trace. */
	static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

}

package dev.sseboot.autoconfigure.actuate;

import java.util.List;

import dev.sseboot.web.SseBackendHealth;
import dev.sseboot.web.SseStreams;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while every {@link SseBackendHealth} is up, with connection usage against {@code sse.max-connections} in the
 * details; DOWN when a back-end is down. A full instance stays UP: it refuses new streams with 503 but serves its
 * open ones.
 */
final class SseHealthIndicator extends AbstractHealthIndicator {

	private final SseStreams connections;

	private final List<SseBackendHealth> backends;

	SseHealthIndicator(SseStreams connections, List<SseBackendHealth> backends) {
		super("SSE health check failed");
		this.connections = connections;
		this.backends = List.copyOf(backends);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		int open = this.connections.size();
		int max = this.connections.maxConnections();
		builder.up().withDetail("connections", open).withDetail("maxConnections", max)
			.withDetail("usage", Math.round(1000.0 * open / max) / 10.0 + "%");
		for (SseBackendHealth backend : this.backends) {
			SseBackendHealth.Status status = backend.check();
			builder.withDetail(status.name(), status.details());
			if (!status.up()) {
				builder.down();
			}
		}
	}

}

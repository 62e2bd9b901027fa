package dev.sseboot.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sseboot.autoconfigure.SseConnections;
import dev.sseboot.autoconfigure.SseEndpointDefinition;
import dev.sseboot.autoconfigure.SseEndpoints;
import dev.sseboot.core.Broadcaster;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code sse} actuator endpoint: each {@code @SseEndpoint} with its effective settings and open streams, each
 * topic with its subscribers and replay-window fill, and the instance's connection usage. No client identities.
 */
@Endpoint(id = "sse")
public class SseActuatorEndpoint {

	private final SseEndpoints endpoints;

	private final SseConnections connections;

	private final @Nullable Broadcaster broadcaster;

	public SseActuatorEndpoint(SseEndpoints endpoints, SseConnections connections, @Nullable Broadcaster broadcaster) {
		this.endpoints = endpoints;
		this.connections = connections;
		this.broadcaster = broadcaster;
	}

	@ReadOperation
	public SseDescriptor sse() {
		Map<String, Long> open = this.connections.sizeByEndpoint();
		List<EndpointDescriptor> endpoints = this.endpoints.all().stream()
			.map((endpoint) -> EndpointDescriptor.of(endpoint, open.getOrDefault(endpoint.path(), 0L)))
			.toList();
		Map<String, Broadcaster.TopicInfo> topics = (this.broadcaster != null) ? this.broadcaster.topics() : Map.of();
		return new SseDescriptor(new ConnectionsDescriptor(this.connections.size(), this.connections.maxConnections()),
				endpoints, topics);
	}

	/** The whole report. */
	public record SseDescriptor(ConnectionsDescriptor connections, List<EndpointDescriptor> endpoints,
			Map<String, Broadcaster.TopicInfo> topics) {

	}

	/** Open streams against the limit. */
	public record ConnectionsDescriptor(int open, int max) {

	}

	/** One endpoint's effective settings and open streams. */
	public record EndpointDescriptor(String path, @Nullable String topic, String heartbeat, int bufferSize,
			String overflow, String sendTimeout, @Nullable String timeout, long open) {

		static EndpointDescriptor of(SseEndpointDefinition endpoint, long open) {
			Duration timeout = endpoint.timeout();
			return new EndpointDescriptor(endpoint.path(), endpoint.topic(), endpoint.heartbeat().toString(),
					endpoint.channel().bufferSize(),
					endpoint.channel().overflow().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
					endpoint.channel().sendTimeout().toString(), (timeout != null) ? timeout.toString() : null, open);
		}

	}

}

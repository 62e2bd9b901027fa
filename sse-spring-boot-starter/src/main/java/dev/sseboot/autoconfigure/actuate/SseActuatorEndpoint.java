package dev.sseboot.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseStreams;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code sse} actuator endpoint: each {@code @SseEndpoint} with its effective settings and open streams, the
 * topics' counts (and each topic with its subscribers and replay-window fill, when
 * {@code management.endpoint.sse.show-topics} allows: topic names are often user ids), and the instance's connection
 * usage. No client identities.
 */
@Endpoint(id = "sse")
final class SseActuatorEndpoint {

	private final SseStreams streams;

	private final @Nullable Broadcaster broadcaster;

	private final Show showTopics;

	private final Set<String> roles;

	SseActuatorEndpoint(SseStreams streams, @Nullable Broadcaster broadcaster,
			Show showTopics, Set<String> roles) {
		this.streams = streams;
		this.broadcaster = broadcaster;
		this.showTopics = showTopics;
		this.roles = Set.copyOf(roles);
	}

	@ReadOperation
	public SseDescriptor sse(SecurityContext securityContext) {
		Map<String, Long> open = this.streams.sizeByEndpoint();
		List<EndpointDescriptor> endpoints = this.streams.endpoints().stream()
			.map((endpoint) -> EndpointDescriptor.of(endpoint, open.getOrDefault(endpoint.path(), 0L)))
			.toList();
		Map<String, Broadcaster.TopicInfo> topics = (this.broadcaster != null) ? this.broadcaster.topics() : Map.of();
		return new SseDescriptor(new ConnectionsDescriptor(this.streams.size(), this.streams.maxConnections()),
				endpoints, TopicsDescriptor.of(topics, this.showTopics.isShown(securityContext, this.roles)));
	}

	/** The whole report. */
	public record SseDescriptor(ConnectionsDescriptor connections, List<EndpointDescriptor> endpoints,
			TopicsDescriptor topics) {

	}

	/**
	 * The topics: how many, their subscribers and held events, and each by name when names may be shown
	 * ({@code null} otherwise).
	 */
	public record TopicsDescriptor(int count, long subscribers, long held,
			@Nullable Map<String, Broadcaster.TopicInfo> byName) {

		static TopicsDescriptor of(Map<String, Broadcaster.TopicInfo> topics, boolean names) {
			long subscribers = 0;
			long held = 0;
			for (Broadcaster.TopicInfo info : topics.values()) {
				subscribers += info.subscribers();
				held += info.held();
			}
			return new TopicsDescriptor(topics.size(), subscribers, held, names ? topics : null);
		}

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
					endpoint.channel().overflow().name().toLowerCase(Locale.ROOT).replace('_', '-'),
					endpoint.channel().sendTimeout().toString(), (timeout != null) ? timeout.toString() : null, open);
		}

	}

}

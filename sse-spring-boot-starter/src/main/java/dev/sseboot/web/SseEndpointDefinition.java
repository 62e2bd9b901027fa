package dev.sseboot.web;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.ChannelSettings;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @SseEndpoint} method with its effective settings: annotation attributes resolved, properties filling
 * the rest. Listed by {@link SseStreams#endpoints()}.
 *
 * @param path the path pattern; the {@code endpoint} tag of meters and disconnects
 * @param topic the topic template, with {@code {name}} placeholders for path variables; {@code null} for none
 * @param heartbeat idle time before a heartbeat; zero when disabled
 * @param channel buffer size, overflow policy and send timeout
 * @param timeout maximum stream lifetime; {@code null} for none
 * @param handler the bean method, for diagnostics
 * @param format the wire format's name ({@code sse} unless the endpoint names another)
 * @param topics the topic templates of a stream on many topics ({@code @SseEndpoint(topics = ...)}); empty for none
 * @param topicParam the query parameter whose values are the stream's topics; {@code null} for none
 */
public record SseEndpointDefinition(String path, @Nullable String topic, Duration heartbeat, ChannelSettings channel,
		@Nullable Duration timeout, String handler, String format, List<String> topics, @Nullable String topicParam) {

	public SseEndpointDefinition {
		topics = List.copyOf(topics);
	}

	/** An endpoint on one topic at most. */
	public SseEndpointDefinition(String path, @Nullable String topic, Duration heartbeat, ChannelSettings channel,
			@Nullable Duration timeout, String handler, String format) {
		this(path, topic, heartbeat, channel, timeout, handler, format, List.of(), null);
	}

	/** Whether each stream of this endpoint is on many topics, with one cursor ({@code topics}, {@code topicParam}). */
	public boolean manyTopics() {
		return !this.topics.isEmpty() || this.topicParam != null;
	}

	/** An endpoint in plain SSE ({@code format = "sse"}). */
	public SseEndpointDefinition(String path, @Nullable String topic, Duration heartbeat, ChannelSettings channel,
			@Nullable Duration timeout, String handler) {
		this(path, topic, heartbeat, channel, timeout, handler, "sse");
	}

}

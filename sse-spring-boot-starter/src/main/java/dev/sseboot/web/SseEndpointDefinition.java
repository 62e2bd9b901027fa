package dev.sseboot.web;

import java.time.Duration;

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
 */
public record SseEndpointDefinition(String path, @Nullable String topic, Duration heartbeat, ChannelSettings channel,
		@Nullable Duration timeout, String handler, String format) {

	/** An endpoint in plain SSE ({@code format = "sse"}). */
	public SseEndpointDefinition(String path, @Nullable String topic, Duration heartbeat, ChannelSettings channel,
			@Nullable Duration timeout, String handler) {
		this(path, topic, heartbeat, channel, timeout, handler, "sse");
	}

}

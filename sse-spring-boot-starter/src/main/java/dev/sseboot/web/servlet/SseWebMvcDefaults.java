package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.ChannelSettings;
import org.jspecify.annotations.Nullable;

/**
 * The instance's limits, and what an {@code @SseEndpoint} attribute left empty means: what sse-boot's
 * auto-configuration hands {@link SseWebMvcConfigurer}; not API.
 *
 * @param maxConnections open streams before 503
 * @param maxConnectionsPerClient open streams per client before 429; {@link Integer#MAX_VALUE} for no limit
 * @param heartbeat idle time before a heartbeat; zero disables
 * @param channel buffer size, overflow policy and send timeout
 * @param timeout maximum stream lifetime; {@code null} for none
 * @param retry the reconnection delay sent at stream start; {@code null} for none
 * @param maxLifetime the lifetime after which a stream is closed with {@code retry:}; {@code null} for none
 * @param refusalRetry the delay a refused client is told to wait, before jitter
 * @param refusalStatus whether refused GET streams get status codes rather than 200 with {@code retry:}
 * @param maxTopicsPerStream topics a stream on many topics may have
 */
public record SseWebMvcDefaults(int maxConnections, int maxConnectionsPerClient, Duration heartbeat,
		ChannelSettings channel, @Nullable Duration timeout, @Nullable Duration retry, @Nullable Duration maxLifetime,
		Duration refusalRetry, boolean refusalStatus, int maxTopicsPerStream) {

}

package dev.sseboot.web;

import java.util.List;
import java.util.Map;

/**
 * This instance's {@code @SseEndpoint} streams, read-only: how many are open, against which limits, on which
 * endpoints. A bean; what the {@code sse} actuator endpoint and health indicator report. Counts are of streams
 * whose headers were committed and whose close has not yet been reported.
 */
public interface SseStreams {

	/** Streams open now. */
	int size();

	/** Streams open now, per endpoint path pattern ({@code /rooms/{room}}). */
	Map<String, Long> sizeByEndpoint();

	/** {@code sse.max-connections}: open streams before new ones get 503. */
	int maxConnections();

	/** {@code sse.max-connections-per-client}; {@link Integer#MAX_VALUE} when there is none. */
	int maxConnectionsPerClient();

	/** Every {@code @SseEndpoint} with its effective settings, sorted by path. */
	List<SseEndpointDefinition> endpoints();

}

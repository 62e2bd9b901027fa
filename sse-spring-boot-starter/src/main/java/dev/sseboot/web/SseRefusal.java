package dev.sseboot.web;

/**
 * Why a request to an {@code @SseEndpoint} was refused before it became a stream, for a later try: told to the
 * {@link SseConnectionObserver}s and counted in {@code sse.connections.refused}. A refused request never counts as a
 * stream and has no disconnect.
 */
public enum SseRefusal {

	/** The instance holds {@code sse.max-connections} streams. */
	CAPACITY,

	/** The client holds {@code sse.max-connections-per-client} streams. */
	CLIENT_LIMIT,

	/** The broadcaster holds its maximum of topics, and this stream's topic would be a new one. */
	TOPIC_LIMIT,

	/** The instance is shutting down. */
	SHUTDOWN

}

package dev.sseboot.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Subscribes a connection to its endpoint's topic once the stream's headers are committed and before its channel
 * starts, so that no event published after the client saw the headers is missed.
 */
@FunctionalInterface
interface SseTopicSubscriber {

	/** For applications without topics. */
	SseTopicSubscriber NONE = (connection, request) -> {
		if (connection.endpoint().topic() != null) {
			throw new IllegalStateException("@SseEndpoint " + connection.endpoint().handler()
					+ " names a topic, but topics are not available yet");
		}
	};

	void subscribe(SseConnection connection, HttpServletRequest request);

}

package dev.sseboot.web.servlet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.TooManyTopicsException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Subscribes a connection to its endpoint's topic, the template's {@code {name}} placeholders filled from the
 * request's path variables, escaped (see {@link TopicTemplate}). It runs after the endpoint method returned and before the response headers are
 * committed, so that an event published after the client saw the headers reaches it.
 */
final class SseTopicSubscriber {

	private final Broadcaster broadcaster;

	private final Map<String, TopicTemplate> templates = new ConcurrentHashMap<>();

	SseTopicSubscriber(Broadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	void subscribe(SseConnection connection, HttpServletRequest request) {
		String template = connection.endpoint().topic();
		if (template == null) {
			return;
		}
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		String topic = this.templates.computeIfAbsent(template, (text) -> TopicTemplate.parse(connection.endpoint().handler(), text,
				connection.endpoint().path())).fill((variables != null) ? variables : Map.of());
		try {
			this.broadcaster.subscribe(topic, connection.channel());
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage(), ex);
		}
		catch (TooManyTopicsException ex) {
			throw new TopicLimitException(ex);
		}
	}

	/** A subscribe refused for the topic limit: 503 with Retry-After, the reason in the body. */
	static final class TopicLimitException extends ResponseStatusException {

		TopicLimitException(TooManyTopicsException cause) {
			super(HttpStatus.SERVICE_UNAVAILABLE, cause.getMessage(), cause);
		}

		@Override
		public HttpHeaders getHeaders() {
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, "5");
			return headers;
		}

	}

}

package dev.sseboot.autoconfigure;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sseboot.core.Broadcaster;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Subscribes a connection to its endpoint's topic, the template's {@code {name}} placeholders filled from the
 * request's path variables. It runs after the endpoint method returned and before the response headers are
 * committed, so that an event published after the client saw the headers reaches it.
 */
final class SseTopicSubscriber {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

	private final Broadcaster broadcaster;

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
		String topic = fill(template, (variables != null) ? variables : Map.of());
		try {
			this.broadcaster.subscribe(topic, connection.channel());
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage(), ex);
		}
	}

	static String fill(String template, Map<String, String> variables) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder topic = new StringBuilder();
		while (matcher.find()) {
			String value = variables.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("SSE topic \"" + template + "\" names {" + matcher.group(1)
						+ "}, which is not a path variable of this request");
			}
			matcher.appendReplacement(topic, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(topic);
		return topic.toString();
	}

	/** Checks at start-up that every placeholder of {@code topic} is a variable of {@code path}. */
	static void check(String handler, String topic, String path) {
		Matcher matcher = PLACEHOLDER.matcher(topic);
		while (matcher.find()) {
			String name = matcher.group(1);
			if (!Pattern.compile("\\{\\*?" + Pattern.quote(name) + "(:[^}]*)?}").matcher(path).find()) {
				throw new IllegalStateException("@SseEndpoint " + handler + " has topic \"" + topic + "\" with {" + name
						+ "}, but its path \"" + path + "\" has no such variable: use one of the path's {names}");
			}
		}
	}

}

package dev.sseboot.web.servlet;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.TooManyTopicsException;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseRefusal;
import dev.sseboot.web.SseTopicAuthorizer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Subscribes a connection to its endpoint's topics (one, or many on one cursor): the templates' {@code {name}}
 * placeholders filled from the request's path variables, escaped (see {@link TopicTemplate}), or the values of its
 * topic parameter; after asking the authorizers again when a replay is to be sent, and schedules the close at the
 * authorizers' deadline. It runs after the endpoint method returned and before the response headers are committed,
 * so that an event published after the client saw the headers reaches it. A topic past the broadcaster's limit is
 * refused for a later try (see {@link SseRefusals}).
 */
final class SseTopicSubscriber {

	/** The request attribute holding the earliest deadline the authorizers gave before the method ran. */
	static final String DEADLINE = SseTopicSubscriber.class.getName() + ".deadline";

	private final Broadcaster broadcaster;

	private final SseTopicAccess access;

	private final SseRefusals refusals;

	SseTopicSubscriber(Broadcaster broadcaster, SseTopicAccess access, SseRefusals refusals) {
		this.broadcaster = broadcaster;
		this.access = access;
		this.refusals = refusals;
	}

	/**
	 * Subscribes {@code connection} to its endpoint's topic, if it has one; {@code false} when the topic limit
	 * refused it, the response then answered.
	 * @throws ResponseStatusException 400 for a path value that cannot be part of a topic, 403 for a denied topic
	 */
	boolean subscribe(SseConnection connection, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		SseEndpointDefinition endpoint = connection.endpoint();
		List<String> topics;
		try {
			topics = this.access.topicsOf(endpoint, request);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage(), ex);
		}
		if (topics.isEmpty()) {
			return true;
		}
		Instant deadline = (request.getAttribute(DEADLINE) instanceof Instant until) ? until : null;
		if (!this.access.isEmpty() && connection.channel().lastEventId().isPresent()) {
			// a replay is about to be sent: asked again, right before, so that no event of the topics leaks
			SseTopicAuthorizer.Decision decision = this.access.checkAll(endpoint, topics, request).decision();
			// an authorization that ran out while the method ran is a denial: the replay must not go out
			if (!SseTopicAccess.permitsNow(decision)) {
				throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Not allowed to read this topic");
			}
			if (decision.until() != null && (deadline == null || decision.until().isBefore(deadline))) {
				deadline = decision.until();
			}
		}
		try {
			if (endpoint.manyTopics()) {
				this.broadcaster.subscribe(topics, connection.channel());
			}
			else {
				this.broadcaster.subscribe(topics.get(0), connection.channel());
			}
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage(), ex);
		}
		catch (TooManyTopicsException ex) {
			this.refusals.refuse(request, response, connection.endpoint(), SseRefusal.TOPIC_LIMIT,
					Objects.requireNonNullElse(ex.getMessage(), "Too many topics; retry later"));
			return false;
		}
		if (deadline != null) {
			SseConnectionFactory.closeAt(connection.channel(), deadline, CloseReason.UNAUTHORIZED);
		}
		return true;
	}

}

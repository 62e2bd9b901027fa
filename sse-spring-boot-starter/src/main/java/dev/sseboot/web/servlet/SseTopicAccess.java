package dev.sseboot.web.servlet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseTopicAuthorizer;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerMapping;

/**
 * Resolves an endpoint's topic for a request (its template filled from the path variables, escaped) and asks the
 * {@link SseTopicAuthorizer} beans whether the request may read it: all must allow; the earliest deadline wins.
 */
final class SseTopicAccess {

	private static final Log logger = LogFactory.getLog(SseTopicAccess.class);

	private final List<SseTopicAuthorizer> authorizers;

	private final Map<String, TopicTemplate> templates = new ConcurrentHashMap<>();

	/** Authorizers that threw already: each is logged at WARN once, then at DEBUG. */
	private final Set<Class<?>> failed = ConcurrentHashMap.newKeySet();

	SseTopicAccess(List<SseTopicAuthorizer> authorizers) {
		this.authorizers = List.copyOf(authorizers);
	}

	/**
	 * The topic {@code request} reads at {@code endpoint}; {@code null} when the endpoint has none.
	 * @throws IllegalArgumentException when a path value cannot be part of a topic name
	 */
	@Nullable String topicOf(SseEndpointDefinition endpoint, HttpServletRequest request) {
		String template = endpoint.topic();
		if (template == null) {
			return null;
		}
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		return this.templates
			.computeIfAbsent(template, (text) -> TopicTemplate.parse(endpoint.handler(), text, endpoint.path()))
			.fill((variables != null) ? variables : Map.of());
	}

	/** Whether any authorizer is configured: without one, everything is allowed and nothing is asked. */
	boolean isEmpty() {
		return this.authorizers.isEmpty();
	}

	/** Whether {@code decision} lets the request read now: allowed, and its deadline (if any) still ahead. */
	static boolean permitsNow(SseTopicAuthorizer.Decision decision) {
		Instant until = decision.until();
		return decision.allowed() && (until == null || until.isAfter(Instant.now()));
	}

	/** What the authorizers answer together: denied if one denies (or throws), else the earliest deadline. */
	SseTopicAuthorizer.Decision check(SseEndpointDefinition endpoint, String topic, HttpServletRequest request) {
		Instant until = null;
		for (SseTopicAuthorizer authorizer : this.authorizers) {
			SseTopicAuthorizer.Decision decision;
			try {
				decision = authorizer.authorize(request.getUserPrincipal(), topic, endpoint, request);
			}
			catch (RuntimeException ex) {
				if (this.failed.add(authorizer.getClass())) {
					logger.warn("SseTopicAuthorizer " + authorizer.getClass().getName() + " failed; the request is "
							+ "refused (logged once, then at debug)", ex);
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("SseTopicAuthorizer " + authorizer.getClass().getName() + " failed", ex);
				}
				return SseTopicAuthorizer.Decision.DENY;
			}
			if (decision == null || !decision.allowed()) {
				return SseTopicAuthorizer.Decision.DENY;
			}
			if (decision.until() != null && (until == null || decision.until().isBefore(until))) {
				until = decision.until();
			}
		}
		return (until != null) ? SseTopicAuthorizer.Decision.until(until) : SseTopicAuthorizer.Decision.ALLOW;
	}

}

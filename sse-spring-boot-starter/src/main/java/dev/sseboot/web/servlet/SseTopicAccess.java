package dev.sseboot.web.servlet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.core.TopicNames;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseTopicAuthorizer;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerMapping;

/**
 * Resolves an endpoint's topics for a request (its templates filled from the path variables, escaped, or the values
 * of its topic parameter) and asks the {@link SseTopicAuthorizer} beans whether the request may read each: all must
 * allow; the earliest deadline wins.
 */
final class SseTopicAccess {

	private static final Log logger = LogFactory.getLog(SseTopicAccess.class);

	private final List<SseTopicAuthorizer> authorizers;

	private final Map<String, TopicTemplate> templates = new ConcurrentHashMap<>();

	/** Authorizers that threw already: each is logged at WARN once, then at DEBUG. */
	private final Set<Class<?>> failed = ConcurrentHashMap.newKeySet();

	private final int maxPerStream;

	SseTopicAccess(List<SseTopicAuthorizer> authorizers, int maxPerStream) {
		this.authorizers = List.copyOf(authorizers);
		this.maxPerStream = maxPerStream;
	}

	/**
	 * The topics {@code request} reads at {@code endpoint}, without duplicates; empty when the endpoint has none.
	 * @throws IllegalArgumentException when a path value cannot be part of a topic name, or the topic parameter
	 * names no topic, an invalid one, or more than {@code sse.topics.max-per-stream}
	 */
	List<String> topicsOf(SseEndpointDefinition endpoint, HttpServletRequest request) {
		String param = endpoint.topicParam();
		if (param != null) {
			String[] values = request.getParameterValues(param);
			if (values == null || values.length == 0) {
				throw new IllegalArgumentException("Name the topics to read with the query parameter " + param
						+ " (such as ?" + param + "=a&" + param + "=b)");
			}
			LinkedHashSet<String> topics = new LinkedHashSet<>();
			for (String value : values) {
				topics.add(TopicNames.require(value));
			}
			if (topics.size() > this.maxPerStream) {
				throw new IllegalArgumentException("A stream may read at most " + this.maxPerStream + " topics ("
						+ topics.size() + " named; sse.topics.max-per-stream): open another stream for the rest");
			}
			return List.copyOf(topics);
		}
		List<String> templates = endpoint.manyTopics() ? endpoint.topics()
				: (endpoint.topic() != null) ? List.of(endpoint.topic()) : List.of();
		if (templates.isEmpty()) {
			return List.of();
		}
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		List<String> topics = new ArrayList<>(templates.size());
		for (String template : templates) {
			String topic = this.templates
				.computeIfAbsent(template, (text) -> TopicTemplate.parse(endpoint.handler(), text, endpoint.path()))
				.fill((variables != null) ? variables : Map.of());
			if (!topics.contains(topic)) {
				topics.add(topic);
			}
		}
		return topics;
	}

	/**
	 * What the authorizers answer for every topic together: denied if one topic is (named in the verdict), else the
	 * earliest deadline of any.
	 */
	Verdict checkAll(SseEndpointDefinition endpoint, List<String> topics, HttpServletRequest request) {
		Instant until = null;
		for (String topic : topics) {
			SseTopicAuthorizer.Decision decision = check(endpoint, topic, request);
			if (!permitsNow(decision)) {
				return new Verdict(SseTopicAuthorizer.Decision.DENY, topic);
			}
			until = earlier(until, decision.until());
		}
		return new Verdict((until != null) ? SseTopicAuthorizer.Decision.until(until)
				: SseTopicAuthorizer.Decision.ALLOW, null);
	}

	/** The authorizers' answer for the topics of a request, and the topic denied, if one was. */
	record Verdict(SseTopicAuthorizer.Decision decision, @Nullable String denied) {
	}

	private static @Nullable Instant earlier(@Nullable Instant until, @Nullable Instant other) {
		return (other != null && (until == null || other.isBefore(until))) ? other : until;
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
	private SseTopicAuthorizer.Decision check(SseEndpointDefinition endpoint, String topic,
			HttpServletRequest request) {
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
			until = earlier(until, decision.until());
		}
		return (until != null) ? SseTopicAuthorizer.Decision.until(until) : SseTopicAuthorizer.Decision.ALLOW;
	}

}

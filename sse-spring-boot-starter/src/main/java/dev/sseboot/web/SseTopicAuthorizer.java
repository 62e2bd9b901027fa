package dev.sseboot.web;

import java.security.Principal;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request may read a topic. Every {@code SseTopicAuthorizer} bean is asked before an
 * {@code @SseEndpoint} with a topic runs (denied: 403, no stream, no disconnect) and again just before a replay is
 * sent to a client that resumes with {@code Last-Event-ID}, so that a client never receives events of a topic it may
 * not read, not even with an id it learned. With several beans, all must allow; with none, everything is allowed. An
 * authorizer that throws refuses (403, logged once), never a 500.
 * <p>
 * An answer may carry a deadline (the expiry of the principal's token or session): the stream is then closed at that
 * moment with {@link dev.sseboot.core.CloseReason#UNAUTHORIZED}, after a final {@code retry:}, so that the client
 * reconnects and is authorized afresh.
 * <pre>{@code
 * @Bean
 * SseTopicAuthorizer inboxes() {
 *     return (principal, topic, endpoint, request) -> SseTopicAuthorizer.Decision.of(!topic.startsWith("inbox.")
 *             || (principal != null && topic.equals("inbox." + TopicNames.escape(principal.getName()))));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SseTopicAuthorizer {

	/**
	 * Whether {@code principal} may read {@code topic}.
	 * @param principal the request's principal; {@code null} when not authenticated
	 * @param topic the topic's name, its path values filled in and escaped
	 * @param endpoint the endpoint the request is for
	 * @param request the request (its headers, attributes, session)
	 */
	Decision authorize(@Nullable Principal principal, String topic, SseEndpointDefinition endpoint,
			HttpServletRequest request);

	/**
	 * An authorizer's answer: allowed or not, and until when.
	 * @param allowed whether the topic may be read
	 * @param until when the access ends (the stream is then closed {@code UNAUTHORIZED}); {@code null} for no end
	 */
	record Decision(boolean allowed, @Nullable Instant until) {

		/** Allowed, with no end. */
		public static final Decision ALLOW = new Decision(true, null);

		/** Denied. */
		public static final Decision DENY = new Decision(false, null);

		/** Allowed when {@code allowed}, else denied. */
		public static Decision of(boolean allowed) {
			return allowed ? ALLOW : DENY;
		}

		/** Allowed until {@code until}: the stream is closed {@code UNAUTHORIZED} then. */
		public static Decision until(Instant until) {
			return new Decision(true, until);
		}

	}

}

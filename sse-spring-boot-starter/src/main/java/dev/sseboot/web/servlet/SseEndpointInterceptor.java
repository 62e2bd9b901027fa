package dev.sseboot.web.servlet;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseRefusal;
import dev.sseboot.web.SseTopicAuthorizer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Admits requests to {@code @SseEndpoint} methods before the method runs: refuses a bad {@code Last-Event-ID}
 * (400) and a topic the authorizers deny (403), each logged once at debug; refuses a request past
 * {@code sse.max-connections-per-client} or {@code sse.max-connections}, or after shutdown began, for a later try
 * (see {@link SseRefusals}); and otherwise creates the connection the method will send to. A connection that never
 * became a stream (the method threw) is discarded after the request, unreported. {@code HEAD} gets the stream's headers
 * and no stream.
 */
final class SseEndpointInterceptor implements HandlerInterceptor {

	static final String CONNECTION = SseEndpointInterceptor.class.getName() + ".connection";

	private static final Log logger = LogFactory.getLog(SseEndpointInterceptor.class);

	private final SseEndpoints endpoints;

	private final SseConnections connections;

	private final SseConnectionFactory factory;

	private final SseTopicAccess access;

	private final SseRefusals refusals;

	SseEndpointInterceptor(SseEndpoints endpoints, SseConnections connections, SseConnectionFactory factory,
			SseTopicAccess access, SseRefusals refusals) {
		this.endpoints = endpoints;
		this.connections = connections;
		this.factory = factory;
		this.access = access;
		this.refusals = refusals;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)) {
			return true;
		}
		SseEndpointDefinition endpoint = this.endpoints.find(method.getMethod());
		if (endpoint == null) {
			return true;
		}
		if ("HEAD".equals(request.getMethod())) {
			// Spring MVC maps HEAD onto GET; a stream whose body is discarded would never fail a heartbeat and never
			// end, so answer with the stream's headers and open nothing (uptime checks use HEAD)
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType("text/event-stream");
			response.setHeader("Cache-Control", "no-cache");
			return false;
		}
		String lastEventId;
		try {
			lastEventId = LastEventIds.read(request);
		}
		catch (IllegalArgumentException ex) {
			return refuse(request, response, HttpServletResponse.SC_BAD_REQUEST,
					Objects.requireNonNullElse(ex.getMessage(), "Invalid Last-Event-ID"));
		}
		if (!this.access.isEmpty() && (endpoint.topic() != null || endpoint.manyTopics())) {
			// before the method runs and before a slot is taken: a refused reader never becomes a stream
			List<String> topics;
			try {
				topics = this.access.topicsOf(endpoint, request);
			}
			catch (IllegalArgumentException ex) {
				return refuse(request, response, HttpServletResponse.SC_BAD_REQUEST,
						Objects.requireNonNullElse(ex.getMessage(), "Invalid topic"));
			}
			SseTopicAccess.Verdict verdict = this.access.checkAll(endpoint, topics, request);
			SseTopicAuthorizer.Decision decision = verdict.decision();
			if (!SseTopicAccess.permitsNow(decision)) {
				return refuse(request, response, HttpServletResponse.SC_FORBIDDEN, endpoint.manyTopics()
						? "Not allowed to read topic " + verdict.denied() + "; nothing was streamed"
						: "Not allowed to read this topic");
			}
			if (decision.until() != null) {
				request.setAttribute(SseTopicSubscriber.DEADLINE, decision.until());
			}
		}
		String client = clientOf(request);
		switch (this.connections.tryReserve(client)) {
			case ADMITTED -> {
			}
			case CLIENT_FULL -> {
				this.refusals.refuse(request, response, endpoint, SseRefusal.CLIENT_LIMIT, "This client holds its "
						+ "maximum of " + this.connections.maxConnectionsPerClient()
						+ " event streams (sse.max-connections-per-client); close one or retry later");
				return false;
			}
			case SHUTTING_DOWN -> {
				this.refusals.refuse(request, response, endpoint, SseRefusal.SHUTDOWN,
						"This server is shutting down; retry later");
				return false;
			}
			default -> {
				this.refusals.refuse(request, response, endpoint, SseRefusal.CAPACITY, "This server holds its maximum "
						+ "of " + this.connections.maxConnections()
						+ " event streams (sse.max-connections); retry later");
				return false;
			}
		}
		try {
			request.setAttribute(CONNECTION, this.factory.create(endpoint, request, lastEventId, client));
		}
		catch (RuntimeException ex) {
			this.connections.release(client);
			throw ex;
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		if (request.getAttribute(CONNECTION) instanceof SseConnection connection && !connection.isOpened()) {
			connection.discard();
		}
	}

	/** The key of {@code sse.max-connections-per-client}: the principal when authenticated, else the address. */
	private static String clientOf(HttpServletRequest request) {
		return (request.getUserPrincipal() != null) ? "principal " + request.getUserPrincipal().getName()
				: "address " + request.getRemoteAddr();
	}

	private static boolean refuse(HttpServletRequest request, HttpServletResponse response, int status,
			String reason) throws IOException {
		if (logger.isDebugEnabled()) {
			logger.debug("Refused SSE request " + request.getRequestURI() + " with " + status + ": " + reason);
		}
		response.setStatus(status);
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write(reason + "\n");
		return false;
	}

}

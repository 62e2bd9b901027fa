package dev.sseboot.web.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseRefusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Answers a request refused for a later try (capacity, the per-client limit, the topic limit, shutdown) so that its
 * client comes back, spread out, and never gives up for good: a browser's {@code EventSource} does on any status but
 * 200, so a GET stream gets {@code 200 text/event-stream} with one {@code retry:} (jittered between half and one and
 * a half times the configured delay, the reason as a comment) and an immediate end; a POST stream, whose fetch client
 * reads status codes, or any stream in status mode, gets 503 (429 for the per-client limit) with
 * {@code Retry-After}. Every refusal is told to the observers, and none is a stream.
 */
final class SseRefusals {

	private static final Log logger = LogFactory.getLog(SseRefusals.class);

	private final SseObservers observers;

	private final SseEncoder encoder;

	private final Duration retry;

	private final boolean status;

	/**
	 * @param retry the delay refused clients are told to wait, before jitter
	 * @param status whether GET streams get status codes too
	 */
	SseRefusals(SseObservers observers, SseEncoder encoder, Duration retry, boolean status) {
		this.observers = observers;
		this.encoder = encoder;
		this.retry = retry;
		this.status = status;
	}

	void refuse(HttpServletRequest request, HttpServletResponse response, SseEndpointDefinition endpoint,
			SseRefusal reason, String message) throws IOException {
		this.observers.tell((observer) -> observer.onRefused(endpoint, reason));
		Duration wait = jittered();
		boolean retry = !this.status && "GET".equals(request.getMethod());
		if (logger.isDebugEnabled()) {
			logger.debug("Refused SSE request " + request.getRequestURI() + " (" + reason + "), "
					+ (retry ? "retry: " + wait.toMillis() + " ms" : "Retry-After") + ": " + message);
		}
		if (retry) {
			byte[] body = this.encoder.encode(SseEvent.builder().comment(message).retry(wait).build());
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType("text/event-stream");
			response.setHeader("Cache-Control", "no-cache");
			response.setHeader("X-Accel-Buffering", "no");
			response.setContentLength(body.length);
			response.getOutputStream().write(body);
			return;
		}
		response.setStatus((reason == SseRefusal.CLIENT_LIMIT) ? 429 : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader("Retry-After", String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write(message + "\n");
	}

	/** Between half and one and a half times the delay, so that clients refused together come back spread out. */
	private Duration jittered() {
		long millis = this.retry.toMillis();
		return Duration.ofMillis(Math.max(1, millis / 2 + ThreadLocalRandom.current().nextLong(millis + 1)));
	}

}

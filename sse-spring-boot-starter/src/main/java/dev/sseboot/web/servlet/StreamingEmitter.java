package dev.sseboot.web.servlet;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An {@link SseEmitter} that remembers the servlet response Spring MVC hands it, so that bytes the core already
 * encoded can be written to the committed response directly, with non-blocking output and without a message
 * converter per write. The emitter still owns the async lifecycle: completion, timeout and error callbacks.
 * <p>
 * Spring's own message-writing path is never used: it would flush the servlet response on completion, which a
 * non-blocking response refuses while bytes are pending.
 */
final class StreamingEmitter extends SseEmitter {

	private volatile @Nullable HttpServletResponse response;

	StreamingEmitter(long timeoutMillis) {
		super(timeoutMillis);
	}

	@Override
	protected void extendResponse(ServerHttpResponse outputMessage) {
		super.extendResponse(outputMessage);
		if (outputMessage instanceof ServletServerHttpResponse servlet) {
			this.response = servlet.getServletResponse();
		}
	}

	/** The servlet response, once Spring MVC has handed the emitter its request; {@code null} before. */
	@Nullable HttpServletResponse response() {
		return this.response;
	}

}

package dev.sseboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An {@link SseEmitter} that remembers the response Spring MVC hands it, so that bytes the core already encoded can
 * be written to the committed response directly, without a message converter per write. The emitter still owns the
 * async lifecycle: completion, timeout and error callbacks.
 */
final class StreamingEmitter extends SseEmitter {

	private volatile @Nullable ServerHttpResponse response;

	StreamingEmitter(long timeoutMillis) {
		super(timeoutMillis);
	}

	@Override
	protected void extendResponse(ServerHttpResponse outputMessage) {
		super.extendResponse(outputMessage);
		this.response = outputMessage;
	}

	/** The response, once Spring MVC has handed the emitter its request; {@code null} before. */
	@Nullable ServerHttpResponse response() {
		return this.response;
	}

}

package dev.sseboot.web.servlet;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.Flow;

import dev.sseboot.web.SseEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Turns the return of an {@code @SseEndpoint} method into a stream: sets the SSE headers, hands the connection's
 * emitter to Spring MVC (which starts async processing and commits the headers), then opens the connection so its
 * channel starts writing. It runs before Spring's own handlers, which would otherwise treat {@code void} as a view
 * name.
 */
final class SseEndpointReturnValueHandler implements HandlerMethodReturnValueHandler {

	private static final MethodParameter EMITTER_RETURN_TYPE;

	static {
		Method method = ReflectionUtils.findMethod(SseEndpointReturnValueHandler.class, "emitterReturnType");
		EMITTER_RETURN_TYPE = new MethodParameter(Objects.requireNonNull(method), -1);
	}

	private final HandlerMethodReturnValueHandler emitterHandler;

	private final SseTopicSubscriber topics;

	SseEndpointReturnValueHandler(HandlerMethodReturnValueHandler emitterHandler, SseTopicSubscriber topics) {
		this.emitterHandler = emitterHandler;
		this.topics = topics;
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return returnType.hasMethodAnnotation(SseEndpoint.class);
	}

	@Override
	public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
			ModelAndViewContainer container, NativeWebRequest webRequest) throws Exception {
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
		if (request == null || response == null
				|| !(request.getAttribute(SseEndpointInterceptor.CONNECTION) instanceof SseConnection connection)) {
			throw new IllegalStateException("@SseEndpoint method " + returnType.getExecutable()
					+ " ran without its connection: is sse-boot's interceptor registered?");
		}
		if (connection.isOpened()) {
			// the async dispatch after the stream ended: Spring hands the method's (void) return back once more
			container.setRequestHandled(true);
			return;
		}
		// subscribe before the headers go out: a client that has seen them must get every later event
		if (!this.topics.subscribe(connection, request, response)) {
			// refused for the topic limit, and answered: no stream (the connection is discarded after the request)
			container.setRequestHandled(true);
			return;
		}
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		this.emitterHandler.handleReturnValue(connection.emitter(), EMITTER_RETURN_TYPE, container, webRequest);
		connection.open();
		if (returnValue instanceof Publisher<?> publisher) {
			connection.channel().stream(publisher);
		}
		else if (returnValue instanceof Flow.Publisher<?> publisher) {
			connection.channel().stream(publisher);
		}
	}

	@SuppressWarnings("unused")
	private static @Nullable SseEmitter emitterReturnType() {
		return null;
	}

}

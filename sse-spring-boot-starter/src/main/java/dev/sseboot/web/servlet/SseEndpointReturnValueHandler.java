package dev.sseboot.web.servlet;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.SseFormat;
import dev.sseboot.core.SseRun;
import dev.sseboot.web.SseEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.FlowAdapters;
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

	private final SseFormatsByName formats;

	SseEndpointReturnValueHandler(HandlerMethodReturnValueHandler emitterHandler, SseTopicSubscriber topics,
			SseFormatsByName formats) {
		this.emitterHandler = emitterHandler;
		this.topics = topics;
		this.formats = formats;
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
		SseFormat format = this.formats.get(connection.endpoint().format(), connection.endpoint().handler());
		DefaultEventChannel channel = connection.channel();
		if (returnsRun(returnType)) {
			// attached before the headers go out, so the run's id and its first events follow them at once
			SseRun run = runOf(returnValue);
			if (run == null || !run.attach(channel, channel.lastEventId().orElse(null), format)) {
				// unknown, expired, or the client has it all: 204 stops an EventSource for good
				response.setStatus(HttpServletResponse.SC_NO_CONTENT);
				container.setRequestHandled(true);
				return;
			}
			response.setHeader(SseRun.RUN_ID_HEADER, run.id());
		}
		// subscribe before the headers go out: a client that has seen them must get every later event
		if (!this.topics.subscribe(connection, request, response)) {
			// refused for the topic limit, and answered: no stream (the connection is discarded after the request)
			container.setRequestHandled(true);
			return;
		}
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		format.headers().forEach(response::setHeader);
		this.emitterHandler.handleReturnValue(connection.emitter(), EMITTER_RETURN_TYPE, container, webRequest);
		connection.open();
		if (returnValue instanceof Publisher<?> publisher) {
			channel.stream(FlowAdapters.toFlowPublisher(publisher), format.open(channel.id()));
		}
		else if (returnValue instanceof Flow.Publisher<?> publisher) {
			channel.stream(publisher, format.open(channel.id()));
		}
	}

	private static boolean returnsRun(MethodParameter returnType) {
		Method method = returnType.getMethod();
		return method != null && SseEndpointResolver.returnsRun(method);
	}

	private static @Nullable SseRun runOf(@Nullable Object returnValue) {
		if (returnValue instanceof Optional<?> optional) {
			return (SseRun) optional.orElse(null);
		}
		return (SseRun) returnValue;
	}

	@SuppressWarnings("unused")
	private static @Nullable SseEmitter emitterReturnType() {
		return null;
	}

}

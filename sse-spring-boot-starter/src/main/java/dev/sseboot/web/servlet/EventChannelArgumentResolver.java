package dev.sseboot.web.servlet;

import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.EventChannel;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives an {@code @SseEndpoint} method the {@link EventChannel} of its connection. */
final class EventChannelArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return type == EventChannel.class || type == DefaultEventChannel.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
			NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
		Object connection = request.getAttribute(SseEndpointInterceptor.CONNECTION, RequestAttributes.SCOPE_REQUEST);
		if (connection instanceof SseConnection sse) {
			return sse.channel();
		}
		throw new IllegalStateException("An EventChannel parameter is only available in an @SseEndpoint method (got "
				+ parameter.getExecutable() + ")");
	}

}

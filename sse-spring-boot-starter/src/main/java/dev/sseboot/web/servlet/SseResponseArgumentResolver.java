package dev.sseboot.web.servlet;

import dev.sseboot.web.SseEndpoint;
import jakarta.servlet.ServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives an {@code @SseEndpoint} method the servlet response (to set a header, say) without Spring MVC's own resolver,
 * which marks the request handled, so that the method's return would never become a stream. Placed before it.
 */
final class SseResponseArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasMethodAnnotation(SseEndpoint.class)
				&& ServletResponse.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
			NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
		Object response = request.getNativeResponse(parameter.getParameterType());
		if (response == null) {
			throw new IllegalStateException("No " + parameter.getParameterType().getSimpleName() + " for "
					+ parameter.getExecutable());
		}
		return response;
	}

}

package dev.sseboot.web.servlet;

import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.web.SseEndpointDefinition;
import org.jspecify.annotations.Nullable;

/** Every {@code @SseEndpoint} method of the application with its effective settings, filled at start-up. */
final class SseEndpoints {

	private final Map<Method, SseEndpointDefinition> byMethod = new ConcurrentHashMap<>();

	void add(Method method, SseEndpointDefinition definition) {
		this.byMethod.put(method, definition);
	}

	@Nullable SseEndpointDefinition find(Method method) {
		return this.byMethod.get(method);
	}

	/** All endpoints, sorted by path. */
	List<SseEndpointDefinition> all() {
		return this.byMethod.values().stream()
			.sorted(Comparator.comparing(SseEndpointDefinition::path))
			.toList();
	}

}

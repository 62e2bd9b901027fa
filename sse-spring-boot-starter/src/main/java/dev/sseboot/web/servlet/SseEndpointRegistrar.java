package dev.sseboot.web.servlet;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseEndpointDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitterReturnValueHandler;

/**
 * Finds {@code @SseEndpoint} methods on every bean once all singletons exist, and registers each in Spring MVC's own
 * {@link RequestMappingHandlerMapping} as {@code GET}, producing {@code text/event-stream}. Living in the same
 * mapping as the application's controllers, they share its 404/405/406 decisions, its CORS handling and its
 * interceptors.
 */
final class SseEndpointRegistrar {

	private static final Log logger = LogFactory.getLog(SseEndpointRegistrar.class);

	private final ApplicationContext context;

	private final SseEndpointResolver resolver;

	private final SseEndpoints endpoints;

	private final SseTopicSubscriber topics;

	private final SseFormatsByName formats;

	SseEndpointRegistrar(ApplicationContext context, SseEndpointResolver resolver, SseEndpoints endpoints,
			SseTopicSubscriber topics, SseFormatsByName formats) {
		this.context = context;
		this.resolver = resolver;
		this.endpoints = endpoints;
		this.topics = topics;
		this.formats = formats;
	}

	/** Maps every {@code @SseEndpoint} method of the context's beans; called once all singletons exist. */
	void register() {
		RequestMappingHandlerMapping mapping = this.context.getBean("requestMappingHandlerMapping",
				RequestMappingHandlerMapping.class);
		for (String name : this.context.getBeanNamesForType(Object.class, false, false)) {
			if (name.startsWith("scopedTarget.")) {
				continue;
			}
			Class<?> type = this.context.getType(name, false);
			if (type != null) {
				register(mapping, name, type);
			}
		}
		installReturnValueHandler();
		requireDistinctTopics();
	}

	/**
	 * Fails start-up when two endpoints' topic templates could name one topic for different values, such as
	 * {@code room.admin.{x}} and {@code room.{room}.{x}} (room {@code admin}): a client of one could read the other's.
	 */
	private void requireDistinctTopics() {
		List<Map.Entry<SseEndpointDefinition, TopicTemplate>> templates = new ArrayList<>();
		for (SseEndpointDefinition endpoint : this.endpoints.all()) {
			List<String> texts = (endpoint.topic() != null) ? List.of(endpoint.topic()) : endpoint.topics();
			for (String text : texts) {
				templates.add(Map.entry(endpoint, TopicTemplate.parse(endpoint.handler(), text, endpoint.path())));
			}
		}
		for (int i = 0; i < templates.size(); i++) {
			for (int j = i + 1; j < templates.size(); j++) {
				SseEndpointDefinition a = templates.get(i).getKey();
				SseEndpointDefinition b = templates.get(j).getKey();
				TopicTemplate first = templates.get(i).getValue();
				TopicTemplate second = templates.get(j).getValue();
				if (a != b && first.canNameTheSameTopicAs(second)) {
					throw new IllegalStateException("@SseEndpoint topics \"" + first + "\" (" + a.handler() + ") and \""
							+ second + "\" (" + b.handler() + ") can name the same topic for some path values, so a "
							+ "client of one could read the other's: make their literal parts differ where the other "
							+ "has a {name}, for example with different prefixes");
				}
			}
		}
	}

	private void register(RequestMappingHandlerMapping mapping, String beanName, Class<?> beanType) {
		Class<?> userType = ClassUtils.getUserClass(beanType);
		Map<Method, SseEndpoint> methods = MethodIntrospector.selectMethods(userType,
				(MethodIntrospector.MetadataLookup<SseEndpoint>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, SseEndpoint.class));
		if (methods.isEmpty()) {
			return;
		}
		RequestMapping typeMapping = AnnotatedElementUtils.findMergedAnnotation(userType, RequestMapping.class);
		String prefix = (typeMapping != null && typeMapping.path().length > 0) ? typeMapping.path()[0] : "";
		methods.forEach((method, annotation) -> {
			SseEndpointDefinition definition = this.resolver.resolve(annotation, prefix, method);
			Method invocable = AopUtils.selectInvocableMethod(method, beanType);
			RequestMappingInfo info = RequestMappingInfo.paths(definition.path())
				.methods(annotation.method())
				.produces(this.formats.get(definition.format(), definition.handler()).accepts().toArray(String[]::new))
				.options(mapping.getBuilderConfiguration())
				.build();
			mapping.registerMapping(info, beanName, invocable);
			this.endpoints.add(invocable, definition);
			if (logger.isDebugEnabled()) {
				logger.debug("Mapped @SseEndpoint " + definition.path() + " to " + definition.handler());
			}
		});
	}

	private void installReturnValueHandler() {
		RequestMappingHandlerAdapter adapter = this.context.getBean("requestMappingHandlerAdapter",
				RequestMappingHandlerAdapter.class);
		List<HandlerMethodReturnValueHandler> existing = adapter.getReturnValueHandlers();
		if (existing == null || existing.stream().anyMatch(SseEndpointReturnValueHandler.class::isInstance)) {
			return;
		}
		HandlerMethodReturnValueHandler emitterHandler = existing.stream()
			.filter(ResponseBodyEmitterReturnValueHandler.class::isInstance)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"Spring MVC has no ResponseBodyEmitterReturnValueHandler: sse-boot needs it to stream"));
		List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(existing.size() + 1);
		handlers.add(new SseEndpointReturnValueHandler(emitterHandler, this.topics, this.formats));
		handlers.addAll(existing);
		adapter.setReturnValueHandlers(handlers);
		List<HandlerMethodArgumentResolver> resolvers = adapter.getArgumentResolvers();
		if (resolvers != null) {
			// before Spring MVC's, which would mark the request handled and so keep it from becoming a stream
			List<HandlerMethodArgumentResolver> ordered = new ArrayList<>(resolvers.size() + 1);
			ordered.add(new SseResponseArgumentResolver());
			ordered.addAll(resolvers);
			adapter.setArgumentResolvers(ordered);
		}
	}

}

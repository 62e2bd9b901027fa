package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.SseEncoder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Plugs {@code @SseEndpoint} methods into Spring MVC: once every singleton exists it maps them in Spring MVC's own
 * handler mapping; its interceptor admits each request and sets up its channel and emitter; its argument resolver
 * hands the method its {@code EventChannel}. It owns the pool that drains the channels, shut down with the context.
 */
public final class SseWebMvcConfigurer implements WebMvcConfigurer, SmartInitializingSingleton, DisposableBean {

	private final SseEndpointRegistrar registrar;

	private final SseEndpointInterceptor interceptor;

	private final SseConnectionFactory factory;

	public SseWebMvcConfigurer(ApplicationContext context, Defaults defaults, SseEndpoints endpoints,
			SseConnections connections, SseEncoder encoder, Heartbeat heartbeat, Broadcaster broadcaster) {
		this.factory = new SseConnectionFactory(encoder, heartbeat, connections, defaults.retry());
		this.registrar = new SseEndpointRegistrar(context, new SseEndpointResolver(context.getEnvironment(), defaults),
				endpoints, new SseTopicSubscriber(broadcaster));
		this.interceptor = new SseEndpointInterceptor(endpoints, connections, this.factory);
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.interceptor);
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new EventChannelArgumentResolver());
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.registrar.register();
	}

	@Override
	public void destroy() {
		this.factory.close();
	}

	/**
	 * What an {@code @SseEndpoint} attribute left empty means.
	 *
	 * @param heartbeat idle time before a heartbeat; zero disables
	 * @param channel buffer size, overflow policy and send timeout
	 * @param timeout maximum stream lifetime; {@code null} for none
	 * @param retry the reconnection delay sent at stream start; {@code null} for none
	 */
	public record Defaults(Duration heartbeat, ChannelSettings channel, @Nullable Duration timeout,
			@Nullable Duration retry) {

	}

}

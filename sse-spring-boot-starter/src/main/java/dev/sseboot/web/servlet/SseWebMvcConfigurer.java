package dev.sseboot.web.servlet;

import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseFormat;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseStreams;
import dev.sseboot.web.SseTopicAuthorizer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Plugs {@code @SseEndpoint} methods into Spring MVC: once every singleton exists it maps them in Spring MVC's own
 * handler mapping; its interceptor admits each request and sets up its channel and emitter; its argument resolver
 * hands the method its {@code EventChannel}. It owns the streams ({@link #streams()}) and the pool that drains them.
 * As a lifecycle it admits streams while running; stopping it (in the phase just before the web server's graceful
 * shutdown) refuses new streams for a later try and completes the open ones with {@code SHUTDOWN}, so shutdown never
 * waits on them. The one public type of this package, for sse-boot's auto-configuration; not API.
 */
public final class SseWebMvcConfigurer
		implements WebMvcConfigurer, SmartInitializingSingleton, SmartLifecycle, DisposableBean {

	private final SseConnections connections;

	private final SseEndpointRegistrar registrar;

	private final SseEndpointInterceptor interceptor;

	private final SseConnectionFactory factory;

	private final SseShutdown shutdown;

	public SseWebMvcConfigurer(ApplicationContext context, SseWebMvcDefaults defaults, SseEncoder encoder,
			Heartbeat heartbeat, Broadcaster broadcaster, List<SseDisconnectListener> listeners,
			List<SseConnectionObserver> observers, List<SseTopicAuthorizer> authorizers, List<SseFormat> formats) {
		SseFormatsByName formatsByName = new SseFormatsByName(formats);
		SseEndpoints endpoints = new SseEndpoints();
		SseTopicAccess access = new SseTopicAccess(authorizers, defaults.maxTopicsPerStream());
		SseObservers told = new SseObservers(listeners, observers);
		this.connections = new SseConnections(endpoints, defaults.maxConnections(), defaults.maxConnectionsPerClient());
		this.factory = new SseConnectionFactory(encoder, heartbeat, this.connections, told, defaults.retry(),
				defaults.maxLifetime());
		SseRefusals refusals = new SseRefusals(told, encoder, defaults.refusalRetry(), defaults.refusalStatus());
		this.registrar = new SseEndpointRegistrar(context,
				new SseEndpointResolver(context.getEnvironment(), defaults, formatsByName, !authorizers.isEmpty()),
				endpoints,
				new SseTopicSubscriber(broadcaster, access, refusals), formatsByName);
		this.interceptor = new SseEndpointInterceptor(endpoints, this.connections, this.factory, access, refusals);
		this.shutdown = new SseShutdown(this.connections);
	}

	/** The streams of this instance, read-only. */
	public SseStreams streams() {
		return this.connections;
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
	public void start() {
		this.shutdown.start();
	}

	@Override
	public void stop() {
		this.shutdown.stop();
	}

	@Override
	public boolean isRunning() {
		return this.shutdown.isRunning();
	}

	@Override
	public int getPhase() {
		return this.shutdown.getPhase();
	}

	@Override
	public void destroy() {
		this.factory.close();
	}

}

package dev.sseboot.autoconfigure;

import java.time.Duration;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.web.SseDisconnectListener;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Auto-configuration of sse-boot on Spring MVC: maps {@code @SseEndpoint} methods to {@code SseEmitter}-backed
 * streams configured by {@link SseProperties}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ SseEmitter.class, DefaultEventChannel.class })
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SseProperties.class)
public final class SseAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseEncoder sseEncoder(ObjectProvider<SseDataSerializer> serializer) {
		return new SseEncoder(serializer.getIfAvailable(() -> SseDataSerializer.TEXT));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Heartbeat sseHeartbeat(SseProperties properties) {
		Duration interval = properties.getHeartbeat().getInterval();
		return Heartbeat.start(Heartbeat.tickFor(interval.isZero() ? Duration.ofSeconds(15) : interval));
	}

	@Bean
	SseDisconnectNotifier sseDisconnectNotifier(ObjectProvider<SseDisconnectListener> listeners) {
		return new SseDisconnectNotifier(listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	SseConnections sseConnections(SseProperties properties, ObjectProvider<SseConnectionObserver> observers) {
		Integer perClient = properties.getMaxConnectionsPerClient();
		return new SseConnections(properties.getMaxConnections(), (perClient != null) ? perClient : Integer.MAX_VALUE,
				observers.orderedStream().toList());
	}

	@Bean
	SseConnectionFactory sseConnectionFactory(SseEncoder encoder, Heartbeat heartbeat, SseConnections connections,
			SseProperties properties) {
		return new SseConnectionFactory(encoder, heartbeat, connections, properties.getRetry());
	}

	@Bean
	SseEndpoints sseEndpoints() {
		return new SseEndpoints();
	}

	@Bean
	@ConditionalOnMissingBean
	Broadcaster sseBroadcaster(SseEncoder encoder, SseProperties properties) {
		SseProperties.Replay replay = properties.getReplay();
		return new InMemoryBroadcaster(encoder, replay.getSize(), replay.getIdleExpiry(), replay.getMaxBytes().toBytes());
	}

	@Bean
	SseEndpointRegistrar sseEndpointRegistrar(ApplicationContext context, Environment environment,
			SseProperties properties, SseEndpoints endpoints, Broadcaster broadcaster) {
		return new SseEndpointRegistrar(context, new SseEndpointResolver(environment, properties), endpoints,
				new SseTopicSubscriber(broadcaster));
	}

	@Bean
	WebMvcConfigurer sseWebMvcConfigurer(SseEndpoints endpoints, SseConnections connections,
			SseConnectionFactory factory) {
		SseEndpointInterceptor interceptor = new SseEndpointInterceptor(endpoints, connections, factory);
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor);
			}

			@Override
			public void addArgumentResolvers(
					java.util.List<org.springframework.web.method.support.HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new EventChannelArgumentResolver());
			}

		};
	}

	@Bean
	SseShutdown sseShutdown(SseConnections connections) {
		return new SseShutdown(connections);
	}

	@Bean
	SseCompressionCustomizer sseCompressionCustomizer() {
		return new SseCompressionCustomizer();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SseDataSerializer sseDataSerializer(ObjectProvider<JsonMapper> mapper) {
			return new JacksonDataSerializer(mapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

}

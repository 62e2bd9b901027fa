package dev.sseboot.autoconfigure;

import java.time.Duration;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.InMemorySseRuns;
import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseFormat;
import dev.sseboot.core.SseRunSharing;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseStreams;
import dev.sseboot.web.SseTopicAuthorizer;
import dev.sseboot.web.servlet.SseWebMvcConfigurer;
import dev.sseboot.web.servlet.SseWebMvcDefaults;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Auto-configuration of sse-boot on Spring MVC: maps {@code @SseEndpoint} methods to {@code SseEmitter}-backed
 * streams configured by {@link SseProperties}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ SseEmitter.class, DefaultEventChannel.class })
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ SseProperties.class, SseRunsProperties.class, SseTopicsProperties.class })
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
	@ConditionalOnMissingBean
	Broadcaster sseBroadcaster(SseEncoder encoder, SseProperties properties) {
		SseProperties.Replay replay = properties.getReplay();
		return new InMemoryBroadcaster(encoder, replay.getSize(), replay.getIdleExpiry(),
				replay.getMaxBytes().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	SseRuns sseRuns(SseRunsProperties runs, ObjectProvider<SseRunSharing> sharing) {
		return new InMemorySseRuns(runs.getOrphanTimeout(), runs.getRetention(), runs.getMaxEvents(),
				sharing.getIfAvailable());
	}

	@Bean
	SseWebMvcConfigurer sseWebMvcConfigurer(ApplicationContext context, SseProperties properties,
			SseTopicsProperties topics, SseEncoder encoder, Heartbeat heartbeat, Broadcaster broadcaster,
			ObjectProvider<SseDisconnectListener> listeners, ObjectProvider<SseConnectionObserver> observers,
			ObjectProvider<SseTopicAuthorizer> authorizers, ObjectProvider<SseFormat> formats) {
		SseProperties.Buffer buffer = properties.getBuffer();
		Integer perClient = properties.getMaxConnectionsPerClient();
		SseWebMvcDefaults defaults = new SseWebMvcDefaults(properties.getMaxConnections(),
				(perClient != null) ? perClient : Integer.MAX_VALUE, properties.getHeartbeat().getInterval(),
				new ChannelSettings(buffer.getSize(), buffer.getOverflow(), buffer.getSendTimeout()),
				properties.getTimeout(), properties.getRetry(), properties.getMaxLifetime(),
				properties.getRefusal().getRetry(),
				properties.getRefusal().getMode() == SseProperties.Refusal.Mode.STATUS, topics.getMaxPerStream());
		return new SseWebMvcConfigurer(context, defaults, encoder, heartbeat, broadcaster,
				listeners.orderedStream().toList(), observers.orderedStream().toList(),
				authorizers.orderedStream().toList(), formats.orderedStream().toList());
	}

	@Bean
	SseStreams sseStreams(SseWebMvcConfigurer webMvc) {
		return webMvc.streams();
	}

	@Bean
	SseCompressionCustomizer sseCompressionCustomizer() {
		return new SseCompressionCustomizer();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.apache.coyote.AbstractProtocol",
			"org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory" })
	static class TomcatConfiguration {

		@Bean
		SseTomcatConnectionsCustomizer sseTomcatConnectionsCustomizer(SseProperties properties,
				Environment environment) {
			return new SseTomcatConnectionsCustomizer(properties.getMaxConnections(),
					Binder.get(environment).bind("server.tomcat.max-connections", Integer.class).isBound());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.eclipse.jetty.server.ServerConnector",
			"org.springframework.boot.jetty.servlet.JettyServletWebServerFactory" })
	static class JettyConfiguration {

		@Bean
		SseJettyAcceptQueueCustomizer sseJettyAcceptQueueCustomizer() {
			return new SseJettyAcceptQueueCustomizer();
		}

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

package dev.sseboot.autoconfigure.actuate;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.web.SseStreams;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sse} actuator endpoint, when actuator is present and sse-boot is active; exposed only as
 * {@code management.endpoints.web.exposure.include} says.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(SseStreams.class)
@EnableConfigurationProperties(SseActuatorProperties.class)
public final class SseActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	SseActuatorEndpoint sseActuatorEndpoint(SseStreams streams, ObjectProvider<Broadcaster> broadcaster,
			SseActuatorProperties properties) {
		return new SseActuatorEndpoint(streams, broadcaster.getIfAvailable(),
				properties.getShowTopics(), properties.getRoles());
	}

}

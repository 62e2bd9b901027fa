package dev.sseboot.autoconfigure.metrics;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.web.SseStreamObservationConvention;
import dev.sseboot.web.SseStreams;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * One {@code sse.stream} observation per stream, with Micrometer's Observation API and an
 * {@link ObservationRegistry} bean (Boot configures one with the actuator), unless {@code sse.observation.enabled}
 * is false; an {@link SseStreamObservationConvention} bean renames or retags it.
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, SseStreams.class })
@ConditionalOnBooleanProperty(name = "sse.observation.enabled", matchIfMissing = true)
public final class SseObservationAutoConfiguration {

	@Bean
	SseStreamObservations sseStreamObservations(ObservationRegistry registry,
			ObjectProvider<SseStreamObservationConvention> convention) {
		return new SseStreamObservations(registry, convention.getIfAvailable());
	}

}

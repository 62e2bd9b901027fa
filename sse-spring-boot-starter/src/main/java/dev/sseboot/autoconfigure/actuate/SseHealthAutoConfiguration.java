package dev.sseboot.autoconfigure.actuate;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.web.SseBackendHealth;
import dev.sseboot.web.SseStreams;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sse} health indicator, when Spring Boot's health support is present and sse-boot is active; off with
 * {@code management.health.sse.enabled=false}.
 */
@AutoConfiguration(after = SseAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SseStreams.class)
public final class SseHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "sseHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("sse")
	SseHealthIndicator sseHealthIndicator(SseStreams streams, ObjectProvider<SseBackendHealth> backends) {
		return new SseHealthIndicator(streams, backends.orderedStream().toList());
	}

}

package dev.sseboot.autoconfigure.metrics;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.autoconfigure.SseConnections;
import dev.sseboot.core.Broadcaster;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of sse-boot's Micrometer meters: only with Micrometer, a {@link MeterRegistry} bean, sse-boot
 * active and {@code sse.metrics.enabled} not false.
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SseConnections.class })
@ConditionalOnBooleanProperty(name = "sse.metrics.enabled", matchIfMissing = true)
public final class SseMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SseMetrics sseMetrics(MeterRegistry registry) {
		return new SseMetrics(registry);
	}

	@Bean
	MeterBinder sseTopicMeters(ObjectProvider<Broadcaster> broadcaster) {
		return (registry) -> broadcaster.ifAvailable((topics) -> FunctionCounter
			.builder(SseMetrics.TOPICS_REFUSED, topics, Broadcaster::refusedTopics)
			.description("New SSE topics refused because the broadcaster holds its maximum of topics")
			.register(registry));
	}

}

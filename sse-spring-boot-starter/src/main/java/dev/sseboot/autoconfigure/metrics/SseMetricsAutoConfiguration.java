package dev.sseboot.autoconfigure.metrics;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of sse-boot's Micrometer meters, bound as a {@code MeterBinder}: only with Micrometer, a
 * {@link MeterRegistry} bean, sse-boot active and {@code sse.metrics.enabled} not false.
 */
@AutoConfiguration(after = SseAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SseStreams.class })
@ConditionalOnBooleanProperty(name = "sse.metrics.enabled", matchIfMissing = true)
public final class SseMetricsAutoConfiguration {

	@Bean
	SseMeterBinder sseMeterBinder(ObjectProvider<Broadcaster> broadcaster, ObjectProvider<SseRuns> runs,
			ObjectProvider<SseStreams> streams) {
		return new SseMeterBinder(broadcaster.getIfAvailable(), runs.getIfAvailable(), streams);
	}

}

package dev.sseboot.autoconfigure.metrics;

import java.util.List;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.EventChannel;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;

import static org.assertj.core.api.Assertions.assertThat;

class SseMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SseAutoConfiguration.class, SseMetricsAutoConfiguration.class,
					WebMvcAutoConfiguration.class));

	@Test
	void registersMetersWithARegistry() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(SseMeterBinder.class));
	}

	@Test
	void everyEndpointsMetersExistAtZeroBeforeItsFirstStream() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseMetricsAutoConfiguration.class,
					WebMvcAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withUserConfiguration(Endpoints.class)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String endpoint : List.of("/ticks", "/rooms/{room}")) {
					assertThat(registry.get("sse.connections.active").tag("endpoint", endpoint).gauge().value())
						.isZero();
					assertThat(registry.get("sse.events.sent").tag("endpoint", endpoint).counter().count()).isZero();
					assertThat(registry.get("sse.bytes.sent").tag("endpoint", endpoint).counter().count()).isZero();
					assertThat(registry.get("sse.connections.duration").tag("endpoint", endpoint).timer().count())
						.isZero();
					assertThat(registry.get("sse.connections.closed").tag("endpoint", endpoint).tag("reason",
							"client-gone")
						.counter().count()).isZero();
					assertThat(registry.get("sse.connections.refused").tag("endpoint", endpoint).tag("reason",
							"capacity")
						.counter().count()).isZero();
				}
				assertThat(registry.get("sse.events.dropped").tag("endpoint", "/ticks").tag("policy", "block").counter()
					.count()).isZero();
				assertThat(registry.get("sse.events.dropped").tag("endpoint", "/rooms/{room}").tag("policy",
						"drop-oldest")
					.counter().count()).isZero();
			});
	}

	@Test
	void backsOffWithoutARegistryBean() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SseMeterBinder.class)
			.hasSingleBean(SseStreams.class));
	}

	@Test
	void backsOffWithoutMicrometerWhileTheStarterWorks() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SseMeterBinder.class)
				.hasSingleBean(SseStreams.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("sse.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseMeterBinder.class));
	}

	@Test
	void isOnWhenExplicitlyEnabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("sse.metrics.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SseMeterBinder.class));
	}

	@Test
	void backsOffWhenSseIsDisabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseMeterBinder.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Endpoints {

		@Bean
		Object ticks() {
			return new Object() {

				@SseEndpoint("/ticks")
				void ticks(EventChannel channel) {
				}

				@SseEndpoint(path = "/rooms/{room}", topic = "room.{room}", overflow = "drop-oldest")
				void room(EventChannel channel, @PathVariable String room) {
				}

			};
		}

	}

}

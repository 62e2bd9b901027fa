package dev.sseboot.autoconfigure.metrics;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

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

}

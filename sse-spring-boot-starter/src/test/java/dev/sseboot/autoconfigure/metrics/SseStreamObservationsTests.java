package dev.sseboot.autoconfigure.metrics;

import java.time.Duration;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.web.DefaultSseStreamObservationConvention;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseStreamInfo;
import dev.sseboot.web.SseStreamObservationContext;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code sse.stream} observation's convention hook, and its switch. */
class SseStreamObservationsTests {

	private static final SseEndpointDefinition ENDPOINT = new SseEndpointDefinition("/rooms/{room}", "room.{room}",
			Duration.ofSeconds(15), new ChannelSettings(8, OverflowPolicy.BLOCK, Duration.ofSeconds(5)), null,
			"Rooms.room");

	@Test
	void aConventionBeanRenamesAndRetagsTheObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		SseStreamObservations observations = new SseStreamObservations(registry,
				new DefaultSseStreamObservationConvention() {

					@Override
					public String getName() {
						return "chat.stream";
					}

					@Override
					public KeyValues getLowCardinalityKeyValues(SseStreamObservationContext context) {
						return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
					}

				});
		SseStreamInfo stream = new SseStreamInfo(ENDPOINT, "c-1", null, null);
		observations.onOpened(stream);
		observations.onSent(stream, 3, 120);
		observations.onClosed(stream, new SseDisconnect("c-1", "/rooms/{room}", CloseReason.TIMEOUT,
				Duration.ofSeconds(1), 3, 0, null, null));
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("chat.stream")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("tenant", "acme")
			.hasLowCardinalityKeyValue("endpoint", "/rooms/{room}")
			.hasLowCardinalityKeyValue("reason", "timeout")
			.hasHighCardinalityKeyValue("events", "3")
			.hasHighCardinalityKeyValue("bytes", "120");
	}

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseObservationAutoConfiguration.class,
				WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withBean(ObservationRegistry.class, ObservationRegistry::create);

	@Test
	void isOnWithAnObservationRegistryAndOffWithTheProperty() {
		this.runner.run((context) -> assertThat(context.getBeansOfType(SseConnectionObserver.class)).hasSize(1));
		this.runner.withPropertyValues("sse.observation.enabled=false")
			.run((context) -> assertThat(context.getBeansOfType(SseConnectionObserver.class)).isEmpty());
	}

}

package dev.sseboot.autoconfigure.metrics;

import java.time.Duration;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.awaitility.Awaitility.await;

/**
 * One {@code sse.stream} observation per stream, on a real server with a {@link TestObservationRegistry}: started
 * when the stream opens, stopped when it closes, with its key values, and marked failed on an {@code ERROR} close.
 */
@SpringBootTest(classes = { TestApplications.OnTomcat.class,
		SseStreamObservationIntegrationTests.Registry.class }, webEnvironment = WebEnvironment.RANDOM_PORT)
class SseStreamObservationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	TestObservationRegistry registry;

	@BeforeEach
	void clear() {
		this.registry.clear();
	}

	@Test
	void aCompletedStreamIsOneObservationWithItsKeyValues() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/ticks?count=2")) {
			stream.awaitEnd(WAIT);
		}
		await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("sse.stream")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasContextualNameEqualTo("sse /ticks")
			.hasLowCardinalityKeyValue("endpoint", "/ticks")
			.hasLowCardinalityKeyValue("reason", "completed")
			.hasHighCardinalityKeyValue("events", "2")
			.doesNotHaveError());
		// in the trace of the request that opened it: its parent is that request's observation
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("sse.stream")
			.that()
			.hasParentObservationContextMatching((parent) -> "http.server.requests".equals(parent.getName()));
	}

	@Test
	void anOpenStreamIsStartedAndStoppedOnlyWhenItCloses() throws Exception {
		SseStream stream = SseTestClient.local(this.port).open("/hold");
		stream.awaitEvent((m) -> m.event().equals("connection"), WAIT);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("sse.stream")
			.that()
			.hasBeenStarted()
			.isNotStopped();
		stream.cut();
		await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("sse.stream")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("endpoint", "/hold")
			.hasLowCardinalityKeyValue("reason", "client-gone"));
	}

	@Test
	void aStreamThatEndedWithAnErrorIsAFailedObservation() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/failing")) {
			stream.awaitEnd(WAIT);
		}
		await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("sse.stream")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("reason", "error")
			.hasError());
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}

package dev.sseboot.web.servlet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.EventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RawSseClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseTopicAuthorizer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channels' one timer thread ends streams at their deadlines ({@code sse.max-lifetime}, an authorization's end):
 * streams whose clients stopped reading, and whose buffers are full, never hold it, so every other stream's deadline
 * comes on time.
 */
@SpringBootTest(classes = { TestApplications.OnTomcat.class,
		DeadlinesBesideStalledStreamsIntegrationTests.Config.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.max-lifetime=2s")
class DeadlinesBesideStalledStreamsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	RecordingDisconnects disconnects;

	@Test
	void anAuthorizationsDeadlineComesOnTimeBesideStalledPublisherStreamsReachingTheirMaxLifetime() throws Exception {
		List<RawSseClient> stalled = new ArrayList<>();
		try {
			long opened = System.nanoTime();
			for (int i = 0; i < 10; i++) {
				RawSseClient client = RawSseClient.open(this.port, "/flood");
				stalled.add(client);
				assertThat(client.status()).isEqualTo(200);
			}
			// their max-lifetime ends them between 1.8 and 2 s after they opened: open the next stream at 1.2 s, so
			// that its deadline (1 s) comes after every one of theirs
			await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
				.until(() -> System.nanoTime() - opened >= Duration.ofMillis(1200).toNanos());
			int before = this.disconnects.forEndpoint("/deadline/{name}").size();
			long start = System.nanoTime();
			try (SseStream stream = SseTestClient.local(this.port).open("/deadline/alice")) {
				assertThat(stream.status()).isEqualTo(200);
				await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/deadline/{name}").size() > before);
				Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
				assertThat(this.disconnects.forEndpoint("/deadline/{name}").get(before).reason())
					.isEqualTo(CloseReason.UNAUTHORIZED);
				assertThat(closedAfter).as("a 1 s authorization's close").isLessThan(Duration.ofMillis(1500));
				stream.awaitEnd(WAIT);
				assertThat(stream.rawText()).endsWith("\n\n").matches("(?s).*retry: [1-5]\\d{3}\n\n");
			}
			// the stalled streams' ends came too (their retry: could not be written: slow consumers)
			await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/flood").size() >= 10);
			assertThat(this.disconnects.forEndpoint("/flood")).extracting(SseDisconnect::reason)
				.containsOnly(CloseReason.SLOW_CONSUMER);
		}
		finally {
			stalled.forEach(RawSseClient::close);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Endpoints.class)
	static class Config {

		/** "deadline" topics may be read for one second. */
		@Bean
		SseTopicAuthorizer oneSecond() {
			return (principal, topic, endpoint, request) -> topic.startsWith("deadline.")
					? SseTopicAuthorizer.Decision.until(Instant.now().plusSeconds(1))
					: SseTopicAuthorizer.Decision.ALLOW;
		}

	}

	@Component
	static class Endpoints {

		/** An endless publisher of 16 KB items: a client that stops reading leaves its buffer full. */
		@SseEndpoint(path = "/flood", bufferSize = "8", heartbeat = "0")
		Flux<String> flood() {
			String item = "f".repeat(16 * 1024);
			return Flux.generate((sink) -> sink.next(item));
		}

		@SseEndpoint(path = "/deadline/{name}", topic = "deadline.{name}", heartbeat = "0")
		void deadline(EventChannel channel, @PathVariable String name) {
		}

	}

}

package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RawSseClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.Refusals;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown with clients that stopped reading, on both containers: it finishes within two seconds with a
 * {@code SHUTDOWN} record for every stream, closes the stalled connections without waiting for them, and refuses
 * streams requested once it has begun.
 */
class StalledClientShutdownIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int STALLED = 50;

	@ParameterizedTest
	@ValueSource(strings = { "tomcat", "jetty" })
	void shutdownWithStalledClientsFinishesWithinTwoSeconds(String container) throws Exception {
		ConfigurableApplicationContext context = start(container);
		RecordingDisconnects disconnects = context.getBean(RecordingDisconnects.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		List<RawSseClient> clients = new ArrayList<>();
		try {
			List<String> stalledIds = new ArrayList<>();
			for (int i = 0; i < STALLED; i++) {
				RawSseClient client = RawSseClient.open(port, "/stall/drop-oldest");
				clients.add(client);
				stalledIds.add(client.readFirstEvent());
			}
			RawSseClient healthy = RawSseClient.open(port, "/stall/drop-oldest");
			clients.add(healthy);
			String healthyId = healthy.readFirstEvent();
			healthy.startReading();
			// far more than a stalled client takes (its window and the server's send buffer): each stays open, full
			String payload = "x".repeat(8 * 1024);
			for (String id : stalledIds) {
				EventChannel channel = TestEndpoints.CHANNELS.get(id);
				for (int i = 0; i < 100; i++) {
					assertThat(channel.send(SseEvent.of(payload))).isTrue();
				}
			}
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			System.out.println(container + ": shut down with " + STALLED + " stalled clients in " + took.toMillis()
					+ " ms");
			assertThat(took).isLessThan(Duration.ofSeconds(2));
			for (String id : stalledIds) {
				assertThat(disconnects.awaitOne(id).reason()).isEqualTo(CloseReason.SHUTDOWN);
			}
			assertThat(disconnects.awaitOne(healthyId).reason()).isEqualTo(CloseReason.SHUTDOWN);
			await().atMost(WAIT).until(healthy::isEnded);
			await().atMost(WAIT).until(() -> clients.subList(0,
					STALLED).stream().allMatch(RawSseClient::isClosedByServer));
		}
		finally {
			clients.forEach(RawSseClient::close);
			context.close();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "tomcat", "jetty" })
	void refusesNewStreamsForALaterTryOnceShutdownHasBegunUntilARestart(String container) throws Exception {
		ConfigurableApplicationContext context = start(container);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		RecordingDisconnects disconnects = context.getBean(RecordingDisconnects.class);
		try (SseStream open = SseTestClient.local(port).open("/quiet")) {
			String id = open.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
			// the first step of closing the context, in the phase before the web server's graceful shutdown
			context.getBean(SseWebMvcConfigurer.class).stop();
			open.awaitEnd(WAIT);
			assertThat(disconnects.awaitOne(id).reason()).isEqualTo(CloseReason.SHUTDOWN);
			int recorded = disconnects.all.size();
			try (SseStream refused = SseTestClient.local(port).open("/quiet")) {
				Refusals.assertRefusedWithRetry(refused, "shutting down");
			}
			assertThat(disconnects.all).hasSize(recorded);
			assertThat(context.getBean(SseStreams.class).size()).isZero();
			// a lifecycle restart admits streams again
			context.getBean(SseWebMvcConfigurer.class).start();
			try (SseStream again = SseTestClient.local(port).open("/quiet")) {
				assertThat(again.status()).isEqualTo(200);
				again.awaitEvent((m) -> m.event().equals("connection"), WAIT);
			}
		}
		finally {
			context.close();
		}
	}

	private static ConfigurableApplicationContext start(String container) {
		Class<?> application = container.equals("jetty") ? TestApplications.OnJetty.class
				: TestApplications.OnTomcat.class;
		return SpringApplication.run(application, "--server.port=0", "--server.shutdown=graceful",
				"--spring.lifecycle.timeout-per-shutdown-phase=30s", "--sse.buffer.send-timeout=1s",
				"--spring.main.banner-mode=off");
	}


}

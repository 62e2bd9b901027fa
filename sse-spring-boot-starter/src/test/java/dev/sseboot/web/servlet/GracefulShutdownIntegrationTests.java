package dev.sseboot.web.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.sseboot.core.CloseReason;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseStreams;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With graceful shutdown on (Boot's default), closing the application with 1,000 open streams completes every one
 * (SHUTDOWN, listeners called) instead of waiting out the shutdown phase timeout.
 */
class GracefulShutdownIntegrationTests {

	private static final int STREAMS = 1000;

	@Test
	void completesEveryOpenStreamAndStopsPromptly() throws Exception {
		ConfigurableApplicationContext context = SpringApplication.run(TestApplications.OnTomcat.class,
				"--server.port=0", "--server.shutdown=graceful", "--spring.lifecycle.timeout-per-shutdown-phase=30s",
				"--spring.main.banner-mode=off");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		RecordingDisconnects disconnects = context.getBean(RecordingDisconnects.class);
		SseStreams connections = context.getBean(SseStreams.class);
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<CompletableFuture<HttpResponse<String>>> bodies = new ArrayList<>();
		try {
			for (int i = 0; i < STREAMS; i++) {
				HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/quiet"))
					.header("Accept", "text/event-stream").build();
				bodies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> connections.size() == STREAMS);
		}
		finally {
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			System.out.println("Closed the application with " + STREAMS + " open streams in " + took.toMillis()
					+ " ms");
			assertThat(took).as("shutdown must not wait out the 30 s phase timeout").isLessThan(Duration.ofSeconds(10));
		}
		for (CompletableFuture<HttpResponse<String>> body : bodies) {
			HttpResponse<String> response = body.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).startsWith("event: connection\ndata: ");
		}
		List<SseDisconnect> quiet = disconnects.forEndpoint("/quiet");
		assertThat(quiet).hasSize(STREAMS);
		assertThat(quiet).allSatisfy((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SHUTDOWN));
		assertThat(quiet.stream().map(SseDisconnect::connectionId).distinct()).hasSize(STREAMS);
	}

}

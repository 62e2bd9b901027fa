package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.CloseReason;
import dev.sseboot.testsupport.RawSseClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.web.SseEndpoint;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sse.timeout} on a client that stopped reading: the stream closes {@code TIMEOUT} and its socket is closed
 * within moments of the timeout, not at the container's write timeout. The send timeout is long here, so that the
 * rule for slow consumers cannot end the stream first.
 */
@TestPropertySource(properties = "sse.buffer.send-timeout=60s")
class StalledClientTimeoutIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	static void assertClosedSoonAfterItsTimeout(int port, RecordingDisconnects disconnects) throws Exception {
		int before = disconnects.forEndpoint("/timeout-flood").size();
		long opened = System.nanoTime();
		try (RawSseClient client = RawSseClient.open(port, "/timeout-flood")) {
			assertThat(client.status()).isEqualTo(200);
			await().atMost(WAIT).until(() -> disconnects.forEndpoint("/timeout-flood").size() > before);
			assertThat(disconnects.forEndpoint("/timeout-flood").get(before).reason()).isEqualTo(CloseReason.TIMEOUT);
			await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(client::isClosedByServer);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - opened);
			// the timeout (1 s) fires within a second or so of its due time (Tomcat checks every second): then at once
			assertThat(closedAfter).as("the socket closed after its 1 s timeout").isLessThan(Duration.ofSeconds(4));
		}
	}

	@Component
	static class Endpoints {

		/** An endless publisher of 16 KB items, ended by its 1 s timeout. */
		@SseEndpoint(path = "/timeout-flood", bufferSize = "8", heartbeat = "0", timeout = "1s")
		Flux<String> flood() {
			String item = "t".repeat(16 * 1024);
			return Flux.generate((sink) -> sink.next(item));
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(Endpoints.class)
	class OnTomcat {

		@LocalServerPort
		int port;

		@Autowired
		RecordingDisconnects disconnects;

		@Test
		void aStalledClientsTimeoutClosesItsSocketAtOnce() throws Exception {
			assertClosedSoonAfterItsTimeout(this.port, this.disconnects);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplications.OnJetty.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(Endpoints.class)
	class OnJetty {

		@LocalServerPort
		int port;

		@Autowired
		RecordingDisconnects disconnects;

		@Test
		void aStalledClientsTimeoutClosesItsSocketAtOnce() throws Exception {
			assertClosedSoonAfterItsTimeout(this.port, this.disconnects);
		}

	}

}

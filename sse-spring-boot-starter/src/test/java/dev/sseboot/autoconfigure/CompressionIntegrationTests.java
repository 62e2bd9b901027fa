package dev.sseboot.autoconfigure;

import java.time.Duration;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams stay uncompressed even when users list text/event-stream among the compressed types, and carry no
 * {@code Content-Encoding} header.
 */
@TestPropertySource(properties = { "server.compression.enabled=true",
		"server.compression.mime-types=text/event-stream,text/plain", "server.compression.min-response-size=1B" })
class CompressionIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	static void assertStreamUncompressedWhilePlainTextIsCompressed(int port) throws Exception {
		SseTestClient client = SseTestClient.local(port);
		try (SseStream plain = client.request("/api/plain").header("Accept", "text/plain")
			.header("Accept-Encoding", "gzip").open()) {
			assertThat(plain.status()).isEqualTo(200);
			assertThat(plain.header("Content-Encoding")).as("compression is on for other responses").isEqualTo("gzip");
		}
		try (SseStream stream = client.request("/ticks?count=1").header("Accept-Encoding", "gzip").open()) {
			stream.awaitEnd(WAIT);
			// no Content-Encoding at all: identity is for Accept-Encoding only (RFC 9110), not a coding to send
			assertThat(stream.headers()).doesNotContainKey("content-encoding");
			assertThat(stream.rawText()).isEqualTo("event: tick\nid: 1\ndata: n=1\n\n");
		}
	}

	@Nested
	@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class OnTomcat {

		@LocalServerPort
		int port;

		@Test
		void neverCompressesTheStream() throws Exception {
			assertStreamUncompressedWhilePlainTextIsCompressed(this.port);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplications.OnJetty.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class OnJetty {

		@LocalServerPort
		int port;

		@Test
		void neverCompressesTheStream() throws Exception {
			assertStreamUncompressedWhilePlainTextIsCompressed(this.port);
		}

	}

}

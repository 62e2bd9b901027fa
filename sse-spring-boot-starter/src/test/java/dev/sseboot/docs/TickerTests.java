package dev.sseboot.docs;

import java.time.Duration;
import java.util.List;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

// tag::ticker-tests[]
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TickerTests {

	@LocalServerPort int port;

	@Test
	void streamsTicksAndResumes() throws Exception {
		SseTestClient client = SseTestClient.local(port);
		try (SseStream stream = client.open("/ticks")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			List<SseMessage> first = stream.awaitEvents(3, Duration.ofSeconds(5));
			stream.cut();                                   // abrupt, like a closed laptop
			try (SseStream resumed = stream.reconnect()) {  // sends Last-Event-ID
				resumed.awaitEvent(e -> e.event().equals("tick"), Duration.ofSeconds(5));
			}
		}
	}
}
// end::ticker-tests[]

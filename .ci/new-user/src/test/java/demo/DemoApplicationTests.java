package demo;

import java.time.Duration;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoApplicationTests {

	@LocalServerPort
	int port;

	@Test
	void streamsFromTheStarterAsReadmeSaysToDependOnIt() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/hello")) {
			assertThat(stream.status()).isEqualTo(200);
			stream.awaitEnd(Duration.ofSeconds(10));
			assertThat(stream.rawText()).isEqualTo("event: greeting\ndata: hello, new user\n\n");
		}
	}

}

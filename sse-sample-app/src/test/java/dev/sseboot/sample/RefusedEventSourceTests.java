package dev.sseboot.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full instance never strands a browser: the npm {@code eventsource} client (an independent implementation of the
 * WHATWG EventSource, which gives up for good on any status but 200) is refused while the one slot is taken, keeps
 * coming back as the refusal's {@code retry:} tells it, and streams once the slot frees.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sse.max-connections=1", "sse.refusal.retry=300ms" })
class RefusedEventSourceTests {

	@LocalServerPort
	int port;

	@Autowired
	SseStreams streams;

	@Autowired
	MeterRegistry registry;

	@Test
	void aRefusedEventSourceWaitsAndRetriesAndStreamsOnceASlotFrees() throws Exception {
		String url = "http://127.0.0.1:" + this.port + "/clock";
		try (SseStream holder = SseTestClient.local(this.port).open("/clock")) {
			assertThat(holder.status()).isEqualTo(200);
			holder.awaitEvent((m) -> m.event().equals("tick"), Duration.ofSeconds(10));
			assertThat(this.streams.size()).isEqualTo(1);
			try (NodeScript node = NodeScript.start("eventsource", "refused-stream.mjs", url, "tick", "60")) {
				List<Map<String, Object>> lines = node.lines();
				// refused again and again, each time back to CONNECTING: it waits and retries, it never gives up
				await().atMost(Duration.ofSeconds(30))
					.until(() -> lines.stream().filter((l) -> l.containsKey("error")).count() >= 3
							|| lines.stream().anyMatch((l) -> l.containsKey("closed")));
				assertThat(lines).as("%s", lines).noneMatch((l) -> l.containsKey("closed"));
				assertThat(lines.stream().filter((l) -> l.containsKey("error")))
					.allSatisfy((l) -> assertThat(l.get("readyState")).isEqualTo(0));
				assertThat(lines).noneMatch((l) -> "tick".equals(l.get("event")));
				assertThat(this.registry.get("sse.connections.refused").tag("endpoint", "/clock")
					.tag("reason", "capacity").counter().count()).isGreaterThanOrEqualTo(3);
				holder.close();
				assertThat(node.awaitExit(Duration.ofSeconds(30))).as("node reads a tick once the slot is free: %s",
						lines)
					.isTrue();
				assertThat(node.exitValue()).as("%s", lines).isZero();
				assertThat(lines).anyMatch((l) -> "tick".equals(l.get("event")));
			}
		}
	}

}

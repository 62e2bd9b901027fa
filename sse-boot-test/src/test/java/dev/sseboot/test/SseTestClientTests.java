package dev.sseboot.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.HttpServer;
import dev.sseboot.core.client.SseMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/** The test client against a plain JDK HTTP server on 127.0.0.1 that writes the stream bytes given to it. */
class SseTestClientTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private HttpServer server;

	private final BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/events", (exchange) -> {
			String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
			this.lastEventIds.add((lastEventId != null) ? lastEventId : "");
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream body = exchange.getResponseBody()) {
				String next = (lastEventId != null) ? String.valueOf(Integer.parseInt(lastEventId) + 1) : "1";
				body.write((": hello\n\nid: " + next + "\nevent: tick\ndata: a\ndata: b\n\nid: x\ndata: last\n\n")
					.getBytes(StandardCharsets.UTF_8));
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void readsTheStatusHeadersExactBytesAndEvents() throws Exception {
		try (SseStream stream = SseTestClient.local(this.server.getAddress().getPort()).open("/events")) {
			List<SseMessage> events = stream.awaitEvents(2, WAIT);
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("content-type")).isEqualTo("text/event-stream");
			assertThat(events).extracting(SseMessage::event, SseMessage::data, SseMessage::lastEventId)
				.containsExactly(tuple("tick", "a\nb", "1"),
						tuple("message", "last", "x"));
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText())
				.isEqualTo(": hello\n\nid: 1\nevent: tick\ndata: a\ndata: b\n\nid: x\ndata: last\n\n");
		}
	}

	@Test
	void reconnectsWithTheLastEventId() throws Exception {
		try (SseStream stream = SseTestClient.local(this.server.getAddress().getPort())
			.request("/events")
			.lastEventId("41")
			.open()) {
			assertThat(stream.awaitEvent((event) -> event.event().equals("tick"), WAIT).lastEventId()).isEqualTo("42");
		}
		assertThat(this.lastEventIds.poll()).isEqualTo("41");
	}

	@Test
	void aWaitThatTimesOutSaysWhatArrived() throws Exception {
		try (SseStream stream = SseTestClient.local(this.server.getAddress().getPort()).open("/events")) {
			stream.awaitEnd(WAIT);
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> stream.awaitEvents(3, Duration.ofMillis(50)))
				.withMessageContaining("last");
		}
	}

}

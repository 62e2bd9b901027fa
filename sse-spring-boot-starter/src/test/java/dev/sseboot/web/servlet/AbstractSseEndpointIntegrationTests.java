package dev.sseboot.web.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseStreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter end to end on a real server: exact bytes and headers, argument resolution, refusals, disconnects with
 * every reason, heartbeats. Subclasses pick the container. Application properties: {@code sse.retry=2500ms}.
 */
abstract class AbstractSseEndpointIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	RecordingDisconnects disconnects;

	@Autowired
	SseStreams connections;

	@Autowired
	TestApplications.Observed observed;

	SseTestClient client() {
		return SseTestClient.local(this.port);
	}

	@Test
	void aPostStreamsTheAnswerToItsBodyWordByWord() throws Exception {
		int before = this.disconnects.forEndpoint("/chat").size();
		try (SseStream stream = client().request("/chat").post("application/json", "{\"text\":\"hello world\"}")
			.open()) {
			stream.awaitEnd(WAIT);
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			assertThat(stream.rawText()).isEqualTo("retry: 2500\n\ndata: echo:\n\ndata: hello\n\ndata: world\n\n");
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/chat").size() == before + 1);
		assertThat(this.disconnects.forEndpoint("/chat").get(before).reason()).isEqualTo(CloseReason.COMPLETED);
		try (SseStream stream = client().request("/chat-channel").post("application/json", "{\"text\":\"hi\"}")
			.open()) {
			stream.awaitEnd(WAIT);
			assertThat(stream.events()).extracting(SseMessage::data).containsExactly("hi");
		}
	}

	@Test
	void aPostWhoseBodyFailsValidationIsA400AndNoStream() throws Exception {
		int before = this.disconnects.forEndpoint("/chat").size();
		int open = this.connections.size();
		try (SseStream stream = client().request("/chat").post("application/json", "{\"text\":\"\"}").open()) {
			assertThat(stream.status()).isEqualTo(400);
			assertThat(String.valueOf(stream.header("Content-Type"))).doesNotStartWith("text/event-stream");
		}
		try (SseStream stream = client().request("/chat").post("application/json", "{not json").open()) {
			assertThat(stream.status()).isEqualTo(400);
		}
		try (SseStream stream = client().open("/chat")) {
			assertThat(stream.status()).isEqualTo(405);
		}
		await().atMost(WAIT).until(() -> this.connections.size() == open);
		assertThat(this.disconnects.forEndpoint("/chat")).hasSize(before);
	}

	@Test
	void aClientThatLeavesCancelsTheReturnedPublisherOnceWithinASecond() throws Exception {
		String run = "cut-" + System.nanoTime();
		try (SseStream stream = client().open("/generate?run=" + run)) {
			stream.awaitEvent((m) -> m.data().equals("token 3"), WAIT);
			stream.cut();
			await().atMost(Duration.ofSeconds(1)).until(() -> TestEndpoints.Streaming.CANCELS.containsKey(run));
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/generate").stream()
			.anyMatch((d) -> d.reason() == CloseReason.CLIENT_GONE));
		assertThat(TestEndpoints.Streaming.CANCELS.get(run)).hasValue(1);
		assertThat(TestEndpoints.Streaming.EMITTED_AT_CANCEL.get(run)).isGreaterThanOrEqualTo(4);
	}

	@Test
	void aTimeoutCancelsTheReturnedPublisherOnce() throws Exception {
		String run = "timeout-" + System.nanoTime();
		try (SseStream stream = client().open("/generate-briefly?run=" + run)) {
			stream.awaitEnd(WAIT);
			assertThat(stream.events()).isNotEmpty();
		}
		await().atMost(WAIT).until(() -> TestEndpoints.Streaming.CANCELS.containsKey(run));
		assertThat(TestEndpoints.Streaming.CANCELS.get(run)).hasValue(1);
	}

	@Test
	void aPublisherErrorEndsTheStreamWithOneErrorEvent() throws Exception {
		int before = this.disconnects.forEndpoint("/failing").size();
		try (SseStream stream = client().open("/failing")) {
			stream.awaitEnd(WAIT);
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.rawText())
				.isEqualTo("retry: 2500\n\ndata: partial\n\nevent: error\ndata: the model is overloaded\n\n");
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/failing").size() == before + 1);
		assertThat(this.disconnects.forEndpoint("/failing").get(before).reason()).isEqualTo(CloseReason.ERROR);
	}

	@Test
	void aMethodMayReturnAFlowPublisher() throws Exception {
		try (SseStream stream = client().open("/flow")) {
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).isEqualTo("retry: 2500\n\ndata: a\n\nevent: named\ndata: b\n\n");
		}
	}

	@Test
	void streamsExactBytesWithSseHeaders() throws Exception {
		try (SseStream stream = client().open("/ticks?count=2")) {
			stream.awaitEnd(WAIT);
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
			assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
			assertThat(stream.headers()).doesNotContainKey("content-encoding");
			assertThat(stream.header("Connection")).isNotEqualToIgnoringCase("close");
			assertThat(stream.rawText()).isEqualTo(
					"retry: 2500\n\nevent: tick\nid: 1\ndata: n=1\n\nevent: tick\nid: 2\ndata: n=2\n\n");
		}
	}

	@Test
	void sendsTheHeadersAtOnceEvenBeforeAnyEvent() throws Exception {
		try (SseStream stream = client().open("/silent")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			assertThat(stream.awaitText((text) -> !text.isEmpty(), WAIT)).isEqualTo("retry: 2500\n\n");
		}
		try (SseStream stream = SseTestClient.local(this.port).open("/silent")) {
			assertThat(stream.events()).isEmpty();
		}
	}

	@Test
	void reportsCompletedStreamToListenersOnceWithItsCounts() throws Exception {
		int before = this.disconnects.forEndpoint("/ticks").size();
		try (SseStream stream = client().open("/ticks?count=4")) {
			stream.awaitEnd(WAIT);
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/ticks").size() == before + 1);
		SseDisconnect disconnect = this.disconnects.forEndpoint("/ticks").get(before);
		assertThat(disconnect.reason()).isEqualTo(CloseReason.COMPLETED);
		assertThat(disconnect.eventsSent()).isEqualTo(4);
		assertThat(disconnect.eventsDropped()).isZero();
		assertThat(disconnect.lastEventId()).isNull();
		assertThat(disconnect.principal()).isNull();
		assertThat(disconnect.duration()).isPositive();
	}

	@Test
	void resolvesEveryMvcArgument() throws Exception {
		try (SseStream stream = client().request("/echo/ada?greeting=hello").header("X-Trace", "t-7")
			.lastEventId("é-41").open()) {
			SseMessage echo = stream.awaitEvent((m) -> m.event().equals("echo"), WAIT);
			assertThat(echo.data()).isEqualTo("{\"name\":\"ada\",\"greeting\":\"hello\",\"trace\":\"t-7\","
					+ "\"principal\":null,\"lastEventId\":\"é-41\"}");
		}
	}

	@Test
	void aMethodMayTakeTheServletResponseToSetAHeaderAndStillStreams() throws Exception {
		int before = this.disconnects.forEndpoint("/with-response").size();
		try (SseStream stream = client().open("/with-response")) {
			stream.awaitEnd(WAIT);
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("X-Custom")).isEqualTo("set by the method");
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			assertThat(stream.events()).extracting(SseMessage::data).containsExactly("streamed all the same");
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/with-response").size() == before + 1);
		assertThat(this.disconnects.forEndpoint("/with-response").get(before).reason())
			.isEqualTo(CloseReason.COMPLETED);
	}

	@Test
	void writesObjectsAsJson() throws Exception {
		try (SseStream stream = client().open("/json")) {
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).endsWith("event: point\ndata: {\"x\":1,\"label\":\"é\\nline\"}\n\n");
		}
	}

	@Test
	void appliesPlaceholdersAndAttributeSettings() throws Exception {
		try (SseStream stream = client().open("/configured")) {
			stream.awaitEnd(WAIT);
			// buffer of 2 with drop-oldest: the method sends 5 before the stream starts, the last 2 remain
			assertThat(stream.events()).extracting(SseMessage::data).containsExactly("e4", "e5");
		}
		await().atMost(WAIT).until(() -> !this.disconnects.forEndpoint("/configured").isEmpty());
		assertThat(this.disconnects.forEndpoint("/configured").get(0).eventsDropped()).isEqualTo(3);
	}

	@Test
	void combinesClassLevelRequestMapping() throws Exception {
		try (SseStream stream = client().open("/api/prefixed")) {
			assertThat(stream.awaitEvents(1, WAIT)).containsExactly(SseMessage.of("under /api"));
		}
	}

	@Test
	void exceptionFromMethodIsOrdinaryErrorResponseAndNoStream() throws Exception {
		int open = this.connections.size();
		int before = this.disconnects.forEndpoint("/refuse/{what}").size();
		try (SseStream stream = client().open("/refuse/thing")) {
			assertThat(stream.status()).isEqualTo(404);
			assertThat(String.valueOf(stream.header("Content-Type"))).doesNotStartWith("text/event-stream");
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).doesNotContain("never sent").doesNotContain("at dev.sseboot");
		}
		assertThat(this.connections.size()).isEqualTo(open);
		assertThat(this.disconnects.forEndpoint("/refuse/{what}")).hasSize(before);
	}

	@Test
	void aStreamWhoseChannelClosedWhileItsMethodRanIsOneStreamWithOneDisconnect() throws Exception {
		int before = this.disconnects.forEndpoint("/early/close").size();
		for (int i = 0; i < 20; i++) {
			try (SseStream stream = client().open("/early/close")) {
				assertThat(stream.status()).isEqualTo(200);
				stream.awaitEnd(WAIT);
			}
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/early/close").size() == before + 20);
		assertThat(this.disconnects.forEndpoint("/early/close").subList(before, before + 20))
			.allSatisfy((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SLOW_CONSUMER));
		assertThat(this.connections.sizeByEndpoint()).doesNotContainKey("/early/close");
	}

	@Test
	void blockDoesNotStallTheMethodForTheSendTimeoutBeforeTheStreamStarts() throws Exception {
		int before = this.disconnects.forEndpoint("/early/block").size();
		try (SseStream stream = client().open("/early/block")) {
			assertThat(stream.status()).isEqualTo(200);
			// the send timeout is 5 s: a method stalled for it would not end its stream within 3 s
			stream.awaitEnd(Duration.ofSeconds(3));
		}
		await().atMost(WAIT).until(() -> this.disconnects.forEndpoint("/early/block").size() == before + 1);
		assertThat(this.disconnects.forEndpoint("/early/block").get(before).reason())
			.isEqualTo(CloseReason.SLOW_CONSUMER);
		assertThat(this.connections.sizeByEndpoint()).doesNotContainKey("/early/block");
	}

	@Test
	void aTopicStartThatFindsTheBufferFullIsOneStreamWithOneDisconnect() throws Exception {
		try (SseStream stream = client().open("/early/rooms/full")) {
			assertThat(stream.status()).isEqualTo(200);
			stream.awaitEnd(WAIT);
		}
		await().atMost(WAIT).until(() -> !this.disconnects.forEndpoint("/early/rooms/{room}").isEmpty());
		assertThat(this.disconnects.forEndpoint("/early/rooms/{room}")).singleElement()
			.satisfies((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SLOW_CONSUMER));
		assertThat(this.connections.sizeByEndpoint()).doesNotContainKey("/early/rooms/{room}");
	}

	@Test
	void aMethodThatOverflowsThenThrowsIsAnErrorResponseAndNoStream() throws Exception {
		try (SseStream stream = client().open("/early/throws")) {
			assertThat(stream.status()).isEqualTo(404);
		}
		assertThat(this.disconnects.forEndpoint("/early/throws")).isEmpty();
		assertThat(this.connections.sizeByEndpoint()).doesNotContainKey("/early/throws");
	}

	@Test
	void refusesAcceptWithoutEventStreamWith406() throws Exception {
		try (SseStream stream = client().request("/ticks").header("Accept", "application/json").open()) {
			assertThat(stream.status()).isEqualTo(406);
		}
	}

	@Test
	void refusesOtherMethodsWith405AndLeavesOtherMappingsAlone() throws Exception {
		try (SseStream stream = client().request("/ticks").method("DELETE").open()) {
			assertThat(stream.status()).isEqualTo(405);
		}
		HttpResponse<String> post = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/echo/x"))
					.POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(post.statusCode()).isEqualTo(200);
		assertThat(post.body()).isEqualTo("posted x");
	}

	@Test
	void answersHeadWithTheStreamsHeadersWithoutOpeningAStream() throws Exception {
		HttpResponse<Void> head = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/head-only"))
					.method("HEAD", HttpRequest.BodyPublishers.noBody())
					.header("Accept", "text/event-stream")
					.timeout(WAIT)
					.build(),
				HttpResponse.BodyHandlers.discarding());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		// only this test requests /head-only: a stream opened by HEAD would stay here, its body discarded forever
		assertThat(this.connections.sizeByEndpoint()).doesNotContainKey("/head-only");
		assertThat(this.disconnects.forEndpoint("/head-only")).isEmpty();
	}

	@Test
	void refusesOversizedLastEventIdWith400() throws Exception {
		try (SseStream stream = client().request("/ticks").lastEventId("x".repeat(1025)).open()) {
			assertThat(stream.status()).isEqualTo(400);
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).contains("Last-Event-ID is 1025 bytes; at most 1024 are accepted");
		}
		try (SseStream stream = client().request("/ticks").lastEventId("x".repeat(1024)).open()) {
			assertThat(stream.status()).isEqualTo(200);
		}
	}

	@Test
	void refusesLastEventIdWithNulWith400() throws Exception {
		try (SseStream stream = client().request("/ticks").rawHeader("Last-Event-ID", new byte[] { 'a', 0, 'b' })
			.open()) {
			assertThat(stream.status()).isIn(400);
		}
	}

	@Test
	void treatsNonUtf8LastEventIdAsUnknownId() throws Exception {
		try (SseStream stream = client().request("/echo/x")
			.rawHeader("Last-Event-ID", new byte[] { 'i', (byte) 0xFF, 'd' }).open()) {
			assertThat(stream.status()).isEqualTo(200);
			SseMessage echo = stream.awaitEvent((m) -> m.event().equals("echo"), WAIT);
			assertThat(echo.data()).contains("\"lastEventId\":\"i\uFFFDd\"");
		}
	}

	@Test
	void vanishedClientIsReportedClientGoneWithinTwoHeartbeats() throws Exception {
		SseStream stream = client().open("/hold");
		String id = stream.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
		stream.awaitText((text) -> text.endsWith(":\n\n"), WAIT);
		stream.cut();
		SseDisconnect disconnect = this.disconnects.awaitOne(id);
		assertThat(disconnect.reason()).isEqualTo(CloseReason.CLIENT_GONE);
		assertThat(disconnect.endpoint()).isEqualTo("/hold");
	}

	@Test
	void sendsHeartbeatsOnIdleStreamOnly() throws Exception {
		try (SseStream stream = client().open("/hold")) {
			String text = stream.awaitText((t) -> t.split(":\n\n", -1).length > 3, WAIT);
			assertThat(text).startsWith("retry: 2500\n\nevent: connection\ndata: ");
			assertThat(stream.events()).hasSize(1);
		}
	}

	@Test
	void applicationCloseIsCompletedAndEndsTheResponse() throws Exception {
		try (SseStream stream = client().open("/quiet")) {
			String id = stream.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
			TestEndpoints.CHANNELS.get(id).send("last words");
			TestEndpoints.CHANNELS.get(id).close();
			stream.awaitEnd(WAIT);
			assertThat(stream.events()).extracting(SseMessage::data).endsWith("last words");
			SseDisconnect disconnect = this.disconnects.awaitOne(id);
			assertThat(disconnect.reason()).isEqualTo(CloseReason.COMPLETED);
			assertThat(disconnect.eventsSent()).isEqualTo(2);
		}
	}

	@Test
	void endpointTimeoutClosesWithTimeout() throws Exception {
		try (SseStream stream = client().open("/timeout")) {
			String id = stream.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
			stream.awaitEnd(WAIT);
			assertThat(this.disconnects.awaitOne(id).reason()).isEqualTo(CloseReason.TIMEOUT);
		}
	}

	@Test
	void countsOpenStreamsAndReleasesThem() throws Exception {
		int before = this.connections.size();
		SseStream stream = client().open("/quiet");
		String id = stream.awaitEvent((m) -> m.event().equals("connection"), WAIT).data();
		assertThat(this.connections.size()).isEqualTo(before + 1);
		assertThat(this.connections.sizeByEndpoint()).containsKey("/quiet");
		TestEndpoints.CHANNELS.get(id).close();
		stream.awaitEnd(WAIT);
		await().atMost(WAIT).until(() -> this.connections.size() == before);
	}

	@Test
	void writesFromSseBootThreadsNotRequestThreads() throws Exception {
		this.observed.writers.clear();
		try (SseStream stream = client().open("/ticks?count=1")) {
			stream.awaitEnd(WAIT);
		}
		List<Thread> writers = List.copyOf(this.observed.writers);
		assertThat(writers).isNotEmpty();
		assertThat(writers).allSatisfy((thread) -> assertThat(thread.getName()).doesNotContain("exec")
			.doesNotContain("qtp"));
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}

package dev.sseboot.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the README's first command starts: the app comes up and serves its page; the assistant's runs outlive a cut
 * connection for the grace, and a client re-attaches with {@code Last-Event-ID}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Test
	void servesThePage() throws Exception {
		HttpResponse<String> page = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<title>sse-boot sample</title>").contains("app.js");
	}

	@Test
	void anAnswerNobodyReadsAnyMoreIsCancelledAfterTheGraceAndNotBefore() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream stream = start(client, 50);
		String run = stream.header("SSE-Run-Id");
		stream.awaitEvent((m) -> m.event().equals("token") && m.lastEventId().equals(run + ":3"), WAIT);
		// the tab is closed: the connection's close cancels its subscription; the run waits for a refresh first
		stream.cut();
		long cut = System.nanoTime();
		await().atMost(WAIT).until(() -> !report(run).contains("\"running\""));
		assertThat(Duration.ofNanos(System.nanoTime() - cut)).isGreaterThanOrEqualTo(Assistant.GRACE.minusMillis(200));
		assertThat(report(run)).contains("\"state\":\"cancelled\"");
	}

	@Test
	void aClientReAttachesWithLastEventIdAndGetsTheRestOnce() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream first = start(client, 20);
		String run = first.header("SSE-Run-Id");
		first.awaitEvent((m) -> m.event().equals("token") && m.lastEventId().equals(run + ":4"), WAIT);
		first.cut();
		List<String> seen = first.events().stream().filter((m) -> m.event().equals("token")).map(SseMessage::data)
			.toList();
		try (SseStream again = client.request("/assistant/runs/" + run).lastEventId(first.lastEventId()).open()) {
			again.awaitEvent((m) -> m.event().equals("end"), WAIT);
			List<String> rest = again.events().stream().filter((m) -> m.event().equals("token")).map(SseMessage::data)
				.toList();
			List<String> all = new ArrayList<>(seen);
			all.addAll(rest);
			assertThat(String.join(" ", all)).isEqualTo(Assistant.answerTo("hello"));
			again.awaitEnd(WAIT);
		}
		assertThat(report(run)).contains("\"state\":\"completed\"");
		// the client has all of it: nothing to re-attach to, and a browser's EventSource stops for good on 204
		try (SseStream none = client.request("/assistant/runs/" + run).lastEventId(run + ":"
				+ (Assistant.answerTo("hello").split(" ").length)).open()) {
			none.awaitEnd(WAIT);
			assertThat(none.status()).isEqualTo(204);
		}
	}

	/** Starts a run answering "hello", a token every {@code every} ms, as the page's Ask does. */
	private static SseStream start(SseTestClient client, int every) throws Exception {
		return client.request("/assistant?every=" + every)
			.post("application/json", "{\"text\":\"hello\"}")
			.open();
	}

	private String report(String run) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/assistant/runs/" + run + "/report"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

}

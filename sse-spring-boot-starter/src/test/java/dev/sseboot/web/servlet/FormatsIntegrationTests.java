package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.SseRun;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @SseEndpoint(format = ...)} over HTTP: the {@code Accept} headers each format answers, its headers, no
 * comment heartbeat in {@code openai-chat} (heartbeats are on by default for every other endpoint here), and a run
 * in {@code ai-sdk-ui} replayed from its start on the AI SDK's resume URL, 204 once there is nothing to resume.
 */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.heartbeat.interval=100ms")
class FormatsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Test
	void openAiChatAnswersTheOfficialClientsAcceptAndSendsNoCommentHeartbeat() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		for (String accept : new String[] { "application/json", "text/event-stream", "*/*" }) {
			try (SseStream stream = client.request("/formats/openai")
				.header("Accept", accept)
				.post("application/json", "{}")
				.open()) {
				stream.awaitEnd(WAIT);
				assertThat(stream.status()).as(accept).isEqualTo(200);
				assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
				assertThat(stream.rawText()).as(accept)
					.contains("\"delta\":{\"content\":\"Hello\"}")
					.endsWith("\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
					.doesNotContain("\n:")
					.doesNotStartWith(":");
			}
		}
		try (SseStream refused = client.request("/formats/openai")
			.header("Accept", "text/html")
			.post("application/json", "{}")
			.open()) {
			refused.awaitEnd(WAIT);
			assertThat(refused.status()).isEqualTo(406);
		}
	}

	@Test
	void openAiChatEndsAFailedStreamWithOpenAisErrorObject() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port)
			.request("/formats/openai?fail=overloaded")
			.header("Accept", "application/json")
			.post("application/json", "{}")
			.open()) {
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).endsWith("data: {\"error\":{\"message\":\"overloaded\","
					+ "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
		}
	}

	@Test
	void aiSdkUiRunIsReplayedOnTheResumeUrlWithItsHeader() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/formats/ai?tokens=3").post("application/json", "{}").open();
		started.awaitEnd(WAIT);
		assertThat(started.header("x-vercel-ai-ui-message-stream")).isEqualTo("v1");
		String id = started.header(SseRun.RUN_ID_HEADER);
		String text = "text-" + id;
		String expected = "data: {\"type\":\"start\"}\n\ndata: {\"type\":\"text-start\",\"id\":\"" + text + "\"}\n\n"
				+ delta(id, 0) + delta(id, 1) + delta(id, 2) + "data: {\"type\":\"text-end\",\"id\":\"" + text
				+ "\"}\n\ndata: {\"type\":\"finish\"}\n\ndata: [DONE]\n\n";
		assertThat(started.rawText().replace(": \n\n", "")).isEqualTo(expected);
		try (SseStream resumed = client.open("/formats/ai/" + id + "/stream")) {
			resumed.awaitEnd(WAIT);
			assertThat(resumed.status()).isEqualTo(200);
			assertThat(resumed.rawText()).isEqualTo(expected);
		}
		try (SseStream none = client.open("/formats/ai/nothing-here/stream")) {
			none.awaitEnd(WAIT);
			assertThat(none.status()).isEqualTo(204);
		}
	}

	private static String delta(String id, int n) {
		return "id: " + id + ":" + n + "\ndata: {\"type\":\"text-delta\",\"id\":\"text-" + id + "\",\"delta\":\"token "
				+ n + "\"}\n\n";
	}

}

package dev.sseboot.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in wire formats read by the official clients of their ecosystems, from npm, against the running sample:
 * the {@code openai} package (OpenAI's Node SDK) streams a chat completion from {@code format = "openai-chat"}, and
 * the {@code ai} package (the Vercel AI SDK) sends, aborts and resumes a chat on {@code format = "ai-sdk-ui"}, with
 * an {@link dev.sseboot.core.SseRun} behind it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OfficialClientsTests {

	@LocalServerPort
	int port;

	@Test
	void theOpenAiSdkStreamsAChatCompletion() throws Exception {
		List<Map<String, Object>> lines = node("openai", "openai-chat.mjs", "hello openai");
		Map<String, Object> created = phase(lines, "read", "create");
		assertThat(created).doesNotContainKey("error");
		assertThat(created.get("content")).isEqualTo(Assistant.answerTo("hello openai"));
		assertThat(created).containsEntry("role", "assistant").containsEntry("finish", "stop");
		// one chunk with the role, one per word, one with finish_reason
		int words = Assistant.answerTo("hello openai").split(" ").length;
		assertThat((Integer) created.get("chunks")).isEqualTo(words + 2);
		assertThat((List<?>) created.get("ids")).singleElement().asString().startsWith("chatcmpl-");
		Map<String, Object> streamed = phase(lines, "read", "stream");
		assertThat(streamed).containsEntry("content", Assistant.answerTo("hello openai"))
			.containsEntry("finish", "stop");
	}

	@Test
	void theOpenAiSdkRaisesTheFormatsErrorObject() throws Exception {
		List<Map<String, Object>> lines = node("openai", "openai-chat.mjs", "please fail");
		assertThat(phase(lines, "read", "create")).containsEntry("type", "APIError")
			.extracting((line) -> line.get("error"))
			.asString()
			.contains("the model is overloaded");
		assertThat(phase(lines, "read", "stream")).containsKey("error");
	}

	@Test
	void theAiSdkReadsAChatAndResumesItAfterAnAbortWithTheWholeAnswer() throws Exception {
		String chat = "chat-" + System.nanoTime();
		List<Map<String, Object>> lines = node("ai", "ai-sdk-chat.mjs", chat, "hello ai sdk", "4");
		Map<String, Object> sent = phase(lines, "phase", "send");
		assertThat((String) sent.get("text")).isNotEmpty().isNotEqualTo(Assistant.answerTo("hello ai sdk"));
		Map<String, Object> resumed = phase(lines, "phase", "resume");
		assertThat(resumed).doesNotContainKey("none");
		assertThat(resumed.get("text")).isEqualTo(Assistant.answerTo("hello ai sdk"));
		assertThat(resumed.get("parts")).isEqualTo(List.of("text"));
		assertThat(resumed).containsEntry("errors", List.of());
		assertThat(phase(lines, "phase", "unknown")).containsEntry("none", true);
	}

	@Test
	void theAiSdkReadsAChatToItsEndAndTellsTheFormatsError() throws Exception {
		List<Map<String, Object>> whole = node("ai", "ai-sdk-chat.mjs", "chat-" + System.nanoTime(), "hi", "0");
		assertThat(phase(whole, "phase", "send")).containsEntry("text", Assistant.answerTo("hi"))
			.containsEntry("errors", List.of());
		List<Map<String, Object>> failed = node("ai", "ai-sdk-chat.mjs", "chat-" + System.nanoTime(), "please fail",
				"0");
		assertThat(phase(failed, "phase", "send").get("errors")).isEqualTo(List.of("the model is overloaded"));
	}

	private static Map<String, Object> phase(List<Map<String, Object>> lines, String key, String value) {
		return lines.stream()
			.filter((line) -> value.equals(line.get(key)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no line with " + key + " " + value + " in " + lines));
	}

	/** Runs {@code script} with the app's base URL first; the lines it printed once it exited 0. */
	private List<Map<String, Object>> node(String module, String script, String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of("http://127.0.0.1:" + this.port));
		all.addAll(List.of(args));
		try (NodeScript node = NodeScript.start(module, script, all.toArray(String[]::new))) {
			assertThat(node.awaitExit(Duration.ofSeconds(40))).as("node exits by itself: %s", node.lines()).isTrue();
			assertThat(node.exitValue()).as("%s", node.lines()).isZero();
			return node.lines().stream().filter((line) -> !line.containsKey("raw")).toList();
		}
	}

}

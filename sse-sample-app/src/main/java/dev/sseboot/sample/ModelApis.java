package dev.sseboot.sample;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseEndpoint;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The same fake model behind the two wire formats LLM front ends parse, for their official clients:
 * <ul>
 * <li>{@code POST /v1/chat/completions} in {@code openai-chat}: what the {@code openai} package's
 * {@code chat.completions.create({stream: true})} reads when pointed here with {@code baseURL};</li>
 * <li>{@code POST /api/chat} and {@code GET /api/chat/{chatId}/stream} in {@code ai-sdk-ui}: what the Vercel AI
 * SDK's {@code useChat} (its {@code DefaultChatTransport}) sends and resumes. The answer runs as an {@link SseRun},
 * so a client that reconnects (a refresh, with {@code resume: true}) gets the whole answer replayed, then the live
 * rest; 204 when the chat has no run (any more).</li>
 * </ul>
 * A prompt that contains {@code please fail} fails after two words, to show each format's error.
 */
@RestController
class ModelApis {

	/** Chats remembered, the oldest forgotten first. */
	private static final int CHATS_KEPT = 1_000;

	private final SseRuns runs;

	/** The AI SDK names a chat; the run answering it is the server's: chat id to run id. */
	private final Map<String, String> runByChat = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > CHATS_KEPT;
		}

	});

	ModelApis(SseRuns runs) {
		this.runs = runs;
	}

	record ChatMessage(@Nullable String role, @Nullable String content) {
	}

	record CompletionRequest(@Nullable String model, @Nullable List<ChatMessage> messages, @Nullable Boolean stream) {
	}

	record UiPart(@Nullable String type, @Nullable String text) {
	}

	record UiMessage(@Nullable String role, @Nullable List<UiPart> parts) {
	}

	record UiChatRequest(@Nullable String id, @Nullable List<UiMessage> messages) {
	}

	/** OpenAI's Chat Completions, streamed. */
	@SseEndpoint(path = "/v1/chat/completions", method = RequestMethod.POST, format = "openai-chat")
	Flux<String> completions(@RequestBody CompletionRequest request) {
		if (!Boolean.TRUE.equals(request.stream())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "this endpoint streams: send \"stream\": true");
		}
		List<ChatMessage> messages = (request.messages() != null) ? request.messages() : List.of();
		String prompt = messages.stream()
			.filter((message) -> "user".equals(message.role()) && message.content() != null)
			.reduce((first, second) -> second)
			.map(ChatMessage::content)
			.orElse("");
		return words(prompt, 5);
	}

	/** The AI SDK's chat: starts a run answering the last user message. */
	@SseEndpoint(path = "/api/chat", method = RequestMethod.POST, format = "ai-sdk-ui")
	SseRun chat(@RequestBody UiChatRequest request) {
		String chat = request.id();
		if (chat == null || !chat.matches("[A-Za-z0-9_-]{1,64}")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a chat id of 1 to 64 letters, digits, - or _");
		}
		List<UiMessage> messages = (request.messages() != null) ? request.messages() : List.of();
		String prompt = messages.stream()
			.filter((message) -> "user".equals(message.role()))
			.reduce((first, second) -> second)
			.map(ModelApis::textOf)
			.orElse("");
		SseRun run = this.runs.start(words(prompt, 20));
		this.runByChat.put(chat, run.id());
		return run;
	}

	/** The AI SDK's resume: the chat's run from its start, then live; 204 when there is none. */
	@SseEndpoint(path = "/api/chat/{chatId}/stream", format = "ai-sdk-ui")
	Optional<SseRun> resume(@PathVariable String chatId) {
		return Optional.ofNullable(this.runByChat.get(chatId)).flatMap(this.runs::find);
	}

	/** A UI message's text: its text parts, joined. */
	private static String textOf(UiMessage message) {
		List<UiPart> parts = (message.parts() != null) ? message.parts() : List.of();
		StringBuilder text = new StringBuilder();
		for (UiPart part : parts) {
			if ("text".equals(part.type()) && part.text() != null) {
				text.append(part.text());
			}
		}
		return text.toString();
	}

	/** The fake model: the sample's answer word by word, each but the first with its leading space. */
	private static Flux<String> words(String prompt, long everyMillis) {
		String[] words = Assistant.answerTo(prompt.strip()).split(" ");
		Flux<String> answer = Flux.range(0, words.length)
			.map((i) -> (i == 0) ? words[i] : " " + words[i])
			.delayElements(Duration.ofMillis(everyMillis));
		if (prompt.contains("please fail")) {
			return answer.take(2).concatWith(Flux.error(new IllegalStateException("the model is overloaded")));
		}
		return answer;
	}

}

package dev.sseboot.docs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseEndpoint;
import jakarta.validation.Valid;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

// tag::runs[]
@RestController
class Answers {

	private final ChatClient chat;
	private final SseRuns runs;                          // a bean of the starter

	Answers(ChatClient chat, SseRuns runs) { this.chat = chat; this.runs = runs; }

	@SseEndpoint(path = "/answers", method = RequestMethod.POST)
	SseRun ask(@Valid @RequestBody Prompt prompt) {      // the run's id: header SSE-Run-Id, and each event's id
		return this.runs.start(this.chat.prompt(prompt.text()).stream().content());
	}

	@SseEndpoint(path = "/answers/{id}")                 // a refresh, a second tab: GET, with Last-Event-ID
	Optional<SseRun> attach(@PathVariable String id) {   // empty, or nothing left: 204
		return this.runs.find(id);
	}

	@PostMapping("/answers/{id}/stop")
	boolean stop(@PathVariable String id) {             // from any instance in the Redis mode
		return this.runs.stop(id);
	}
}
// end::runs[]

// tag::formats[]
@RestController
class ModelApis {

	private final ChatClient chat;
	private final SseRuns runs;
	private final Map<String, String> runByChat = new ConcurrentHashMap<>();   // bound it in a real application

	ModelApis(ChatClient chat, SseRuns runs) { this.chat = chat; this.runs = runs; }

	// the openai package: new OpenAI({ baseURL: 'https://host/v1' }).chat.completions.create({ stream: true, ... })
	@SseEndpoint(path = "/v1/chat/completions", method = RequestMethod.POST, format = "openai-chat")
	Flux<String> completions(@RequestBody CompletionRequest request) {
		return this.chat.prompt(request.lastUserMessage()).stream().content();
	}

	// the AI SDK's useChat({ transport: new DefaultChatTransport({ api: '/api/chat' }), resume: true })
	@SseEndpoint(path = "/api/chat", method = RequestMethod.POST, format = "ai-sdk-ui")
	SseRun chat(@RequestBody UiChatRequest request) {
		SseRun run = this.runs.start(this.chat.prompt(request.lastUserText()).stream().content());
		this.runByChat.put(request.id(), run.id());
		return run;
	}

	@SseEndpoint(path = "/api/chat/{chatId}/stream", format = "ai-sdk-ui")   // useChat's resume; 204: none
	Optional<SseRun> resume(@PathVariable String chatId) {
		return Optional.ofNullable(this.runByChat.get(chatId)).flatMap(this.runs::find);
	}
}
// end::formats[]

/** The body the OpenAI client sends, reduced to what the example reads. */
record CompletionRequest(String lastUserMessage) {
}

/** The body the AI SDK's chat transport sends, reduced to what the example reads. */
record UiChatRequest(String id, String lastUserText) {
}

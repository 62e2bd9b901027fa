package dev.sseboot.docs;

import dev.sseboot.web.SseEndpoint;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

// tag::assistant[]
record Prompt(@NotBlank String text) {}

@RestController
class Assistant {

	private final ChatClient chat;                       // Spring AI, or any Flux<String> source

	Assistant(ChatClient chat) { this.chat = chat; }

	@SseEndpoint(path = "/chat", method = RequestMethod.POST)
	Flux<String> chat(@Valid @RequestBody Prompt prompt) {
		return this.chat.prompt(prompt.text()).stream().content();
	}
}
// end::assistant[]

/** Stands in for Spring AI's {@code ChatClient}, which the tests do not depend on: the same calls, the same types. */
interface ChatClient {

	Request prompt(String text);

	interface Request {

		Response stream();

	}

	interface Response {

		Flux<String> content();

	}

}

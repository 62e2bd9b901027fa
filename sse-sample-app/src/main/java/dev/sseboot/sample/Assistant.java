package dev.sseboot.sample;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A streamed answer to a POST, as an LLM endpoint gives one: a fake token generator (a {@code Flux} of words with a
 * delay; no network, no model) returned from an {@code @SseEndpoint}. When the client stops reading (the page's Stop
 * button aborts its {@code fetch}), the subscription is cancelled and the generator stops; the page then asks how
 * many tokens it had produced by then.
 */
@RestController
class Assistant {

	/** Runs remembered for their report, the oldest forgotten first. */
	private static final int RUNS_KEPT = 1_000;

	private final Map<String, Report> runs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Report> eldest) {
			return size() > RUNS_KEPT;
		}

	});

	record Prompt(@Nullable String text) {
	}

	/** How a run ended: {@code running}, {@code completed} or {@code cancelled}, after {@code tokens} tokens. */
	record Report(String run, String state, long tokens) {
	}

	@SseEndpoint(path = "/assistant", method = RequestMethod.POST, heartbeat = "0")
	Flux<SseEvent> answer(@RequestBody Prompt prompt, @RequestParam String run,
			@RequestParam(defaultValue = "120") long every) {
		String text = (prompt.text() != null) ? prompt.text().strip() : "";
		if (text.isEmpty() || text.length() > 500 || !run.matches("[A-Za-z0-9-]{1,40}")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"a prompt of 1 to 500 characters and a run id of letters, digits and dashes");
		}
		String[] words = answerTo(text).split(" ");
		AtomicLong emitted = new AtomicLong();
		this.runs.put(run, new Report(run, "running", 0));
		return Flux.fromArray(words)
			.delayElements(Duration.ofMillis(Math.max(10, Math.min(every, 1_000))))
			.doOnNext((word) -> emitted.incrementAndGet())
			.map((word) -> SseEvent.of("token", word))
			.doOnComplete(() -> this.runs.put(run, new Report(run, "completed", emitted.get())))
			.doOnCancel(() -> this.runs.put(run, new Report(run, "cancelled", emitted.get())));
	}

	@GetMapping("/assistant/runs/{run}")
	Report report(@PathVariable String run) {
		Report report = this.runs.get(run);
		if (report == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run");
		}
		return report;
	}

	/** A long, harmless answer: the prompt, then words enough to have time to press Stop. */
	private static String answerTo(String prompt) {
		StringBuilder answer = new StringBuilder("You asked: \"").append(prompt).append("\". ");
		String filler = "Server-Sent Events stream each token as soon as it exists, and when you stop reading the "
				+ "server stops generating, so nobody pays for words nobody reads.";
		for (int i = 0; i < 8; i++) {
			answer.append(filler).append(' ');
		}
		return answer.toString().strip();
	}

}

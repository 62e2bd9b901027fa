package dev.sseboot.sample;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseEndpoint;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A streamed answer to a POST, as an LLM endpoint gives one: a fake token generator (words with a delay; no network,
 * no model) run as an {@link SseRun}, so the answer outlives the request that asked for it.
 * <p>
 * The POST starts the run and streams it; the run's id comes back in the {@code SSE-Run-Id} header, and every token
 * event's id is {@code <run id>:<n>}. A refresh or a second tab re-attaches with {@code GET /assistant/runs/{id}}
 * (and {@code Last-Event-ID}), gets the tokens it has not seen, then the live ones, then {@code end}; a run whose
 * client left goes on, and is cancelled once nobody has been attached for {@code sse.runs.orphan-timeout}
 * ({@link #GRACE} here). Stop cancels it at once; the run's report says after how many tokens its generator saw the
 * cancellation.
 */
@RestController
class Assistant {

	/** How long a run goes on without a reader: {@code sse.runs.orphan-timeout} in application.yml. */
	static final Duration GRACE = Duration.ofSeconds(3);

	/** Reports remembered, the oldest forgotten first. */
	private static final int REPORTS_KEPT = 200;

	private final SseRuns runs;

	/** Per run, the tokens its generator produced: how far it got before it was stopped. */
	private final Map<String, AtomicLong> emitted = Collections
		.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, AtomicLong> eldest) {
				return size() > REPORTS_KEPT;
			}

		});

	Assistant(SseRuns runs) {
		this.runs = runs;
	}

	record Prompt(@Nullable String text) {
	}

	/**
	 * How a run stands: {@code running}, {@code completed}, {@code cancelled} (stopped, or nobody read it) or
	 * {@code failed}, after {@code tokens} tokens; {@code tokens} is null on an instance that does not run the
	 * generator (the Redis mode: the run was started on another instance, and only that one counts).
	 */
	record Report(String run, String state, @Nullable Long tokens) {
	}

	/** Starts a run and streams its answer. */
	@SseEndpoint(path = "/assistant", method = RequestMethod.POST, heartbeat = "0")
	SseRun answer(@RequestBody Prompt prompt, @RequestParam(defaultValue = "120") long every) {
		String text = (prompt.text() != null) ? prompt.text().strip() : "";
		if (text.isEmpty() || text.length() > 500) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a prompt of 1 to 500 characters");
		}
		AtomicLong count = new AtomicLong();
		Flux<SseEvent> tokens = Flux.fromArray(answerTo(text).split(" "))
			.delayElements(Duration.ofMillis(Math.max(10, Math.min(every, 1_000))))
			.doOnNext((word) -> count.incrementAndGet())
			.map((word) -> SseEvent.builder().name("token").data(word).build())
			.concatWith(Flux.just(SseEvent.of("end", "done")));
		SseRun run = this.runs.start(tokens);
		this.emitted.put(run.id(), count);
		return run;
	}

	/** Re-attaches to a run: the tokens after {@code Last-Event-ID}, then the live ones; 204 when nothing is left. */
	@SseEndpoint(path = "/assistant/runs/{run}", heartbeat = "0")
	Optional<SseRun> attach(@PathVariable String run) {
		return this.runs.find(run);
	}

	@PostMapping("/assistant/runs/{run}/stop")
	Report stop(@PathVariable String run) {
		this.runs.stop(run);
		return report(run);
	}

	@GetMapping("/assistant/runs/{run}/report")
	Report report(@PathVariable String run) {
		SseRun found = this.runs.find(run)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run"));
		String state = found.outcome().map((outcome) -> switch (outcome) {
			case COMPLETED -> "completed";
			case STOPPED, ORPHANED -> "cancelled";
			case ERROR, LOST -> "failed";
		}).orElse("running");
		AtomicLong count = this.emitted.get(run);
		return new Report(run, state, (count != null) ? count.get() : null);
	}

	/** A long, harmless answer: the prompt, then words enough to have time to press Stop. */
	static String answerTo(String prompt) {
		StringBuilder answer = new StringBuilder("You asked: \"").append(prompt).append("\". ");
		String filler = "Server-Sent Events stream each token as soon as it exists, and when you stop reading the "
				+ "server stops generating, so nobody pays for words nobody reads.";
		for (int i = 0; i < 8; i++) {
			answer.append(filler).append(' ');
		}
		return answer.toString().strip();
	}

}

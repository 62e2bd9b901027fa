package dev.sseboot.sample;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A streamed answer to a POST, as an LLM endpoint gives one: a fake token generator (words with a delay; no network,
 * no model) behind an {@code @SseEndpoint} that returns a {@code Flux}.
 * <p>
 * A run outlives its connection for a while, so that a page refresh re-attaches instead of running the model again:
 * the run's tokens are kept (Reactor's {@code replay()}), each with an id {@code <run>:<n>}, and a client that
 * comes back with {@code Last-Event-ID} gets the tokens after it, then the live ones, then {@code end}. The generator
 * is cancelled when no client has read the run for {@link #GRACE} (the tab was closed: the connection's close
 * cancelled its subscription), or at once by Stop; the run's report says after how many tokens it saw the
 * cancellation.
 */
@RestController
class Assistant {

	/** How long a run goes on without a reader, so that a refresh can re-attach. */
	static final Duration GRACE = Duration.ofSeconds(3);

	/** Runs remembered, the oldest forgotten first; each holds at most its answer's tokens. */
	private static final int RUNS_KEPT = 200;

	private final Map<String, Run> runs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
			return size() > RUNS_KEPT;
		}

	});

	record Prompt(@Nullable String text) {
	}

	/** How a run ended: {@code running}, {@code completed} or {@code cancelled}, after {@code tokens} tokens. */
	record Report(String run, String state, long tokens) {
	}

	/** Starts a run and streams its answer. */
	@SseEndpoint(path = "/assistant", method = RequestMethod.POST, heartbeat = "0")
	Flux<SseEvent> answer(@RequestBody Prompt prompt, @RequestParam String run,
			@RequestParam(defaultValue = "120") long every) {
		String text = (prompt.text() != null) ? prompt.text().strip() : "";
		if (text.isEmpty() || text.length() > 500 || !run.matches("[A-Za-z0-9-]{1,40}")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"a prompt of 1 to 500 characters and a run id of letters, digits and dashes");
		}
		Run started = new Run(run, answerTo(text).split(" "), Duration.ofMillis(Math.max(10, Math.min(every, 1_000))));
		if (this.runs.putIfAbsent(run, started) != null) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "run " + run + " exists: re-attach with GET");
		}
		return started.read();
	}

	/** Re-attaches to a run: the tokens after {@code Last-Event-ID}, then the live ones, then {@code end}. */
	@SseEndpoint(path = "/assistant/runs/{run}", heartbeat = "0")
	Flux<SseEvent> attach(@PathVariable String run,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
		Run found = this.runs.get(run);
		if (found == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run");
		}
		long seen = seen(run, lastEventId);
		return found.read().filter((event) -> event.id() == null || seen(run, event.id()) > seen);
	}

	@PostMapping("/assistant/runs/{run}/stop")
	Report stop(@PathVariable String run) {
		Run found = find(run);
		found.stop.tryEmitEmpty();
		return found.report();
	}

	@GetMapping("/assistant/runs/{run}/report")
	Report report(@PathVariable String run) {
		return find(run).report();
	}

	private Run find(String run) {
		Run found = this.runs.get(run);
		if (found == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such run");
		}
		return found;
	}

	/** The token number an id {@code <run>:<n>} names; -1 for none or another run's. */
	private static long seen(String run, @Nullable String id) {
		if (id == null || !id.startsWith(run + ":")) {
			return -1;
		}
		try {
			return Long.parseLong(id.substring(run.length() + 1));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
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

	/**
	 * One run: its generator, run once and shared by whoever reads it, its tokens kept for clients that re-attach.
	 * When its last reader has left, it is stopped after {@link #GRACE} unless another came meanwhile.
	 */
	static final class Run {

		final String id;

		final AtomicLong emitted = new AtomicLong();

		final Sinks.Empty<Void> stop = Sinks.empty();

		private final AtomicInteger readers = new AtomicInteger();

		private final Flux<SseEvent> tokens;

		volatile String state = "running";

		Run(String id, String[] words, Duration every) {
			this.id = id;
			Flux<String> generator = Flux.fromArray(words)
				.delayElements(every)
				.doOnNext((word) -> this.emitted.incrementAndGet())
				.doOnComplete(() -> this.state = "completed")
				.doOnCancel(() -> this.state = "cancelled");
			this.tokens = generator.takeUntilOther(this.stop.asMono())
				.index((n, word) -> SseEvent.builder().name("token").id(id + ":" + n).data(word).build())
				.concatWith(Flux.just(SseEvent.of("end", this.id)))
				.replay()
				.autoConnect(1);
		}

		/** The run's events for one more reader: all so far, then the live ones. */
		Flux<SseEvent> read() {
			return Flux.defer(() -> {
				this.readers.incrementAndGet();
				return this.tokens;
			}).doFinally((signal) -> {
				if (this.readers.decrementAndGet() == 0) {
					Schedulers.parallel().schedule(this::stopIfUnread, GRACE.toMillis(), TimeUnit.MILLISECONDS);
				}
			});
		}

		private void stopIfUnread() {
			if (this.readers.get() == 0) {
				this.stop.tryEmitEmpty();
			}
		}

		Report report() {
			return new Report(this.id, this.state, this.emitted.get());
		}

	}

}

package dev.sseboot.testsupport;

import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseEndpoint;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Endpoints on every kind of bean, each showing one behaviour. */
public final class TestEndpoints {

	private TestEndpoints() {
	}

	public record Point(int x, String label) {
	}

	/** Channels by id, so that tests can act on a connection from outside. */
	public static final Map<String, EventChannel> CHANNELS = new ConcurrentHashMap<>();

	public static void hello(EventChannel channel) {
		CHANNELS.put(channel.id(), channel);
		channel.send(SseEvent.of("connection", channel.id()));
	}

	@Component
	public static class Plain {

		@SseEndpoint("/ticks")
		public void ticks(EventChannel channel, @RequestParam(defaultValue = "3") int count) {
			for (int i = 1; i <= count; i++) {
				channel.send(SseEvent.builder().name("tick").id(String.valueOf(i)).data("n=" + i).build());
			}
			channel.close();
		}

		@SseEndpoint(path = "/rooms/{room}", topic = "room.{room}", heartbeat = "0")
		public void room(EventChannel channel, @PathVariable String room) {
			CHANNELS.put(channel.id(), channel);
			channel.send(SseEvent.of("welcome", room));
		}

		/** A stream on five topics with one cursor: {@code many.<set>.a} to {@code many.<set>.e}. */
		@SseEndpoint(path = "/many/{set}", topics = { "many.{set}.a", "many.{set}.b", "many.{set}.c", "many.{set}.d",
				"many.{set}.e" }, heartbeat = "0")
		public void many(EventChannel channel, @PathVariable String set) {
		}

		@SseEndpoint(path = "/rooms/{room}/admin", topic = "room.{room}.admin", heartbeat = "0")
		public void roomAdmin(EventChannel channel, @PathVariable String room) {
			channel.send(SseEvent.of("welcome", "admin of " + room));
		}

		@SseEndpoint(path = "/with-response", heartbeat = "0")
		public void withResponse(EventChannel channel, HttpServletResponse response) {
			response.setHeader("X-Custom", "set by the method");
			channel.send("streamed all the same");
			channel.close();
		}

		@SseEndpoint(path = "/hold", heartbeat = "100ms")
		public void hold(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/head-only", heartbeat = "0")
		public void headOnly(EventChannel channel) {
			channel.send("only HEAD requests come here");
		}

		@SseEndpoint(path = "/silent", heartbeat = "0")
		public void silent(EventChannel channel) {
			CHANNELS.put(channel.id(), channel);
		}

		@SseEndpoint(path = "/quiet", heartbeat = "0")
		public void quiet(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/refuse/{what}")
		public void refuse(EventChannel channel, @PathVariable String what) {
			channel.send("never sent");
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + what);
		}

		@SseEndpoint(path = "/timeout", timeout = "300ms", heartbeat = "0")
		public void timeout(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint("/json")
		public void json(EventChannel channel) {
			channel.send(SseEvent.of("point", new Point(1, "é\nline")));
			channel.close();
		}

		@SseEndpoint(path = "${test.sse.path:/configured}", bufferSize = "${test.sse.buffer:2}",
				overflow = "${test.sse.overflow:drop-oldest}")
		public void configured(EventChannel channel) {
			for (int i = 1; i <= 5; i++) {
				channel.send("e" + i);
			}
			channel.close();
		}

	}

	/** Endpoints for clients that stop reading; each sends the connection's id first (see {@link #hello}). */
	@Component
	static class Stalling {

		@SseEndpoint(path = "/stall/rooms/{room}", topic = "stall.{room}", bufferSize = "64", heartbeat = "0")
		public void room(EventChannel channel, @PathVariable String room) {
			hello(channel);
		}

		@SseEndpoint(path = "/stall/block", bufferSize = "16", overflow = "block", heartbeat = "0")
		public void block(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/stall/drop-oldest", bufferSize = "16", overflow = "drop-oldest", heartbeat = "0")
		public void dropOldest(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/stall/drop-newest", bufferSize = "16", overflow = "drop-newest", heartbeat = "0")
		public void dropNewest(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/stall/close", bufferSize = "16", overflow = "close", heartbeat = "0")
		public void close(EventChannel channel) {
			hello(channel);
		}

		@SseEndpoint(path = "/stall/slow", bufferSize = "4", heartbeat = "200ms")
		public void slow(EventChannel channel) {
			hello(channel);
		}

	}

	/** Endpoints whose channel closes while the method runs, or as its topic subscription starts. */
	@Component
	static class Early {

		@SseEndpoint(path = "/early/close", bufferSize = "2", overflow = "close", heartbeat = "0")
		public void close(EventChannel channel) {
			sendFive(channel);
		}

		@SseEndpoint(path = "/early/block", bufferSize = "2", overflow = "block", heartbeat = "0")
		public void block(EventChannel channel) {
			sendFive(channel);
		}

		/** Fills the buffer, so the topic's position block finds no room. */
		@SseEndpoint(path = "/early/rooms/{room}", topic = "early.{room}", bufferSize = "2", overflow = "drop-newest",
				heartbeat = "0")
		public void room(EventChannel channel, @PathVariable String room) {
			channel.send("own 1");
			channel.send("own 2");
		}

		@SseEndpoint(path = "/early/throws", bufferSize = "2", overflow = "close", heartbeat = "0")
		public void throwsAfterOverflow(EventChannel channel) {
			sendFive(channel);
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "nothing here after all");
		}

		private static void sendFive(EventChannel channel) {
			for (int i = 1; i <= 5; i++) {
				channel.send("e" + i);
			}
		}

	}

	@RestController
	static class Rest {

		@SseEndpoint("/echo/{name}")
		public void echo(EventChannel channel, @PathVariable String name,
				@RequestParam(defaultValue = "hi") String greeting,
				@RequestHeader(name = "X-Trace", required = false) @Nullable String trace,
				@Nullable Principal principal) {
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("name", name);
			seen.put("greeting", greeting);
			seen.put("trace", trace);
			seen.put("principal", (principal != null) ? principal.getName() : null);
			seen.put("lastEventId", channel.lastEventId().orElse(null));
			channel.send(SseEvent.of("echo", seen));
			channel.close();
		}

		@PostMapping("/echo/{name}")
		public String post(@PathVariable String name) {
			return "posted " + name;
		}

	}

	record Prompt(@NotBlank String text) {
	}

	/** Streamed answers: POST with a body, publishers returned, and how each publisher ended. */
	@RestController
	public static class Streaming {

		/** Per run id: how many times its publisher was cancelled, and how many items it had emitted then. */
		public static final Map<String, AtomicInteger> CANCELS = new ConcurrentHashMap<>();

		public static final Map<String, Long> EMITTED_AT_CANCEL = new ConcurrentHashMap<>();

		@SseEndpoint(path = "/chat", method = RequestMethod.POST, heartbeat = "0")
		public Flux<String> chat(@Valid @RequestBody Prompt prompt) {
			return Flux.fromArray(("echo: " + prompt.text()).split(" "));
		}

		@SseEndpoint(path = "/chat-channel", method = RequestMethod.POST, heartbeat = "0")
		public void chatChannel(EventChannel channel, @RequestBody Prompt prompt) {
			channel.send(SseEvent.of("answer", prompt.text()));
			channel.close();
		}

		@SseEndpoint(path = "/generate", heartbeat = "0")
		public Flux<String> generate(@RequestParam String run, @RequestParam(defaultValue = "20") long every) {
			AtomicLong emitted = new AtomicLong();
			return Flux.interval(Duration.ofMillis(every))
				.map((i) -> "token " + i)
				.doOnNext((token) -> emitted.incrementAndGet())
				.doOnCancel(() -> {
					EMITTED_AT_CANCEL.put(run, emitted.get());
					CANCELS.computeIfAbsent(run, (key) -> new AtomicInteger()).incrementAndGet();
				});
		}

		@SseEndpoint(path = "/generate-briefly", heartbeat = "0", timeout = "300ms")
		public Flux<String> generateBriefly(@RequestParam String run) {
			return generate(run, 20);
		}

		@SseEndpoint(path = "/failing", heartbeat = "0")
		public Flux<String> failing() {
			return Flux.concat(Flux.just("partial"), Flux.error(new IllegalStateException("the model is overloaded")));
		}

		@SseEndpoint(path = "/flow", heartbeat = "0")
		public Flow.Publisher<Object> flow() {
			return JdkFlowAdapter.publisherToFlowPublisher(Flux.just("a", SseEvent.of("named", "b")));
		}

	}

	/** Runs: POST starts one, GET re-attaches to one by id (204 when it is unknown or the client has it all). */
	@RestController
	public static class Runs {

		/** Per run id: how many times its publisher was cancelled. */
		public static final Map<String, AtomicInteger> CANCELS = new ConcurrentHashMap<>();

		private final SseRuns runs;

		public Runs(SseRuns runs) {
			this.runs = runs;
		}

		@SseEndpoint(path = "/runs", method = RequestMethod.POST, heartbeat = "0")
		public SseRun start(@RequestParam(defaultValue = "5") int tokens, @RequestParam(defaultValue = "10") long every,
				@RequestParam(defaultValue = "") String fail) {
			AtomicInteger cancels = new AtomicInteger();
			Flux<String> answer = Flux.interval(Duration.ofMillis(every)).take(tokens).map((i) -> "token " + i);
			if (!fail.isEmpty()) {
				answer = answer.concatWith(Flux.error(new IllegalStateException(fail)));
			}
			SseRun run = this.runs.start(answer.doOnCancel(cancels::incrementAndGet));
			CANCELS.put(run.id(), cancels);
			return run;
		}

		@SseEndpoint(path = "/runs/{id}", heartbeat = "0")
		public Optional<SseRun> attach(@PathVariable String id) {
			return this.runs.find(id);
		}

		@PostMapping("/runs/{id}/stop")
		public String stop(@PathVariable String id) {
			return Boolean.toString(this.runs.stop(id));
		}

		@SseEndpoint(path = "/formats/openai", method = RequestMethod.POST, format = "openai-chat")
		public Flux<String> openAi(@RequestParam(defaultValue = "") String fail) {
			Flux<String> answer = Flux.just("Hello", ", ", "world");
			return fail.isEmpty() ? answer : answer.concatWith(Flux.error(new IllegalStateException(fail)));
		}

		@SseEndpoint(path = "/formats/ai", method = RequestMethod.POST, format = "ai-sdk-ui")
		public SseRun aiSdk(@RequestParam(defaultValue = "5") int tokens) {
			return start(tokens, 10, "");
		}

		@SseEndpoint(path = "/formats/ai/{id}/stream", format = "ai-sdk-ui")
		public Optional<SseRun> aiSdkResume(@PathVariable String id) {
			return this.runs.find(id);
		}

	}

	@Controller
	@RequestMapping("/api")
	static class Prefixed {

		@SseEndpoint("/prefixed")
		public void prefixed(EventChannel channel) {
			channel.send("under /api");
			channel.close();
		}

		@RequestMapping("/plain")
		@ResponseBody
		public String plain() {
			return "plain ".repeat(500);
		}

	}

}

package dev.sseboot.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.web.SseEndpoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A topic service as a user would write it: {@code GET /topics/{topic}} streams a topic (resumable with
 * {@code Last-Event-ID}, from any instance), {@code POST /topics/{topic}} publishes its body to it and answers the
 * event's id, or 503 when the event could not be published (Redis unreachable). {@code POST /runs} starts a run
 * of tokens (an LLM's answer, as the runs tests use it) and {@code GET /runs/{run}} re-attaches to it on any
 * instance. The first argument
 * {@code --system.container=jetty} runs it on Jetty, else on Tomcat; the rest are Spring Boot properties.
 */
@SpringBootApplication
@RestController
public class SystemApplication {

	private static final String TOMCAT = "org.springframework.boot.tomcat.autoconfigure.servlet."
			+ "TomcatServletWebServerAutoConfiguration";

	private static final String JETTY = "org.springframework.boot.jetty.autoconfigure.servlet."
			+ "JettyServletWebServerAutoConfiguration";

	private static final int ACCEPT_QUEUE = 4096;

	private final Broadcaster broadcaster;

	private final SseRuns runs;

	SystemApplication(Broadcaster broadcaster, SseRuns runs) {
		this.broadcaster = broadcaster;
		this.runs = runs;
	}

	public static void main(String[] args) {
		boolean jetty = List.of(args).contains("--system.container=jetty");
		List<String> all = new ArrayList<>(List.of(args));
		// both containers are on the class path: exclude the one this instance does not run on
		all.add("--spring.autoconfigure.exclude=" + (jetty ? TOMCAT : JETTY));
		SpringApplication.run(SystemApplication.class, all.toArray(String[]::new));
	}

	/**
	 * Jetty's accept queue, as {@code server.tomcat.accept-count} is Tomcat's: above the reconnect burst after a
	 * deploy (every client of an instance at once), or connections wait for SYN retransmits and time out in nginx.
	 */
	@Bean
	JettyServerCustomizer acceptQueue() {
		return (server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
				}
			}
		};
	}

	@SseEndpoint(path = "/topics/{topic}", topic = "sys.{topic}")
	void stream(EventChannel channel, @PathVariable String topic) {
	}

	/** The same topics for clients that the system test makes stop reading, on an endpoint of their own. */
	@SseEndpoint(path = "/slow/{topic}", topic = "sys.{topic}")
	void slow(EventChannel channel, @PathVariable String topic) {
	}

	@PostMapping(path = "/topics/{topic}", produces = "text/plain")
	String publish(@PathVariable String topic, @RequestBody String data) {
		return this.broadcaster.publish("sys." + topic, SseEvent.of(data));
	}

	/** A run of {@code tokens} events {@code token <n>}, one every {@code every} milliseconds. */
	@SseEndpoint(path = "/runs", method = RequestMethod.POST)
	SseRun startRun(@RequestParam int tokens, @RequestParam long every) {
		if (tokens < 1 || tokens > 1_000_000 || every < 1 || every > 1_000) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "tokens 1 to 1,000,000, every 1 to 1,000 ms");
		}
		return this.runs.start(Flux.interval(Duration.ofMillis(every)).take(tokens).map((n) -> "token " + n));
	}

	/** A run's events after {@code Last-Event-ID}, then live; 204 when nothing is left or the run is unknown. */
	@SseEndpoint(path = "/runs/{run}")
	Optional<SseRun> attachToRun(@PathVariable String run) {
		return this.runs.find(run);
	}

	/** The broadcaster could not publish (Redis unreachable): the publisher must know, loudly. */
	@ExceptionHandler(IllegalStateException.class)
	ResponseEntity<String> unpublished(IllegalStateException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(String.valueOf(ex.getMessage()) + "\n");
	}

}

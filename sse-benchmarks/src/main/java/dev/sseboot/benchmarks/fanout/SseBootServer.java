package dev.sseboot.benchmarks.fanout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseStreams;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** (a) sse-boot: a Broadcaster topic, every client subscribed through an @SseEndpoint. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = BenchServers.JETTY_SERVLET)
@Import({ BenchControl.class, BenchSocketOptions.class, BenchTomcatBuffers.class, SseBootServer.TopicsControl.class })
public class SseBootServer {

	public static void main(String[] args) {
		SpringApplication.run(SseBootServer.class, args);
	}

	@SseEndpoint(path = "/stream", topic = "bench")
	void stream(EventChannel channel) {
	}

	/** One topic per path value: the many-topics scenario across Redis. */
	@SseEndpoint(path = "/topics/{n}", topic = "bench.{n}")
	void topics(EventChannel channel) {
	}

	@Bean
	Broadcast broadcast(Broadcaster broadcaster) {
		return (payload) -> broadcaster.publish("bench", SseEvent.of(payload));
	}

	@Bean
	BenchControl.ClientCount clientCount(SseStreams connections) {
		return connections::size;
	}

	/** Publishes to topics {@code bench.t0} to {@code bench.t<topics-1>} in turn, at a rate. */
	@RestController
	static class TopicsControl {

		private final Broadcaster broadcaster;

		TopicsControl(Broadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@PostMapping("/bench/topics")
		Map<String, Object> run(@RequestParam int rate, @RequestParam int seconds, @RequestParam int bytes,
				@RequestParam int topics) {
			if (rate < 1 || rate > 100_000 || seconds < 1 || seconds > 600 || bytes < 32 || bytes > 65_536 || topics < 1
					|| topics > 100_000) {
				throw new IllegalArgumentException("rate 1..100000, seconds 1..600, bytes 32..65536, topics 1..100000");
			}
			AtomicLong next = new AtomicLong();
			Publisher.start((payload) -> this.broadcaster.publish("bench.t" + (next.getAndIncrement() % topics),
					SseEvent.of(payload)), rate, seconds, bytes);
			return Map.of("rate", rate, "seconds", seconds, "topics", topics);
		}

	}

}

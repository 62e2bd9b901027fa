package dev.sseboot.benchmarks.fanout;

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

/** (a) sse-boot: a Broadcaster topic, every client subscribed through an @SseEndpoint. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ BenchControl.class, BenchSocketOptions.class })
public class SseBootServer {

	public static void main(String[] args) {
		SpringApplication.run(SseBootServer.class, args);
	}

	@SseEndpoint(path = "/stream", topic = "bench")
	void stream(EventChannel channel) {
	}

	@Bean
	Broadcast broadcast(Broadcaster broadcaster) {
		return (payload) -> broadcaster.publish("bench", SseEvent.of(payload));
	}

	@Bean
	BenchControl.ClientCount clientCount(SseStreams connections) {
		return connections::size;
	}

}

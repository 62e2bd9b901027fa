package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** (b) The fan-out tutorials teach: a list of SseEmitters and a loop calling send. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = BenchServers.JETTY_SERVLET)
@Import({ BenchControl.class, BenchSocketOptions.class, HandWrittenServer.Emitters.class })
public class HandWrittenServer {

	public static void main(String[] args) {
		SpringApplication.run(HandWrittenServer.class, args);
	}

	@Bean
	Broadcast broadcast(Emitters emitters) {
		return emitters::send;
	}

	@Bean
	BenchControl.ClientCount clientCount(Emitters emitters) {
		return emitters.emitters::size;
	}

	@RestController
	static class Emitters {

		final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

		@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		SseEmitter stream() {
			SseEmitter emitter = new SseEmitter(Long.MAX_VALUE);
			this.emitters.add(emitter);
			emitter.onCompletion(() -> this.emitters.remove(emitter));
			emitter.onTimeout(() -> this.emitters.remove(emitter));
			emitter.onError((error) -> this.emitters.remove(emitter));
			return emitter;
		}

		void send(String payload) {
			for (SseEmitter emitter : this.emitters) {
				try {
					emitter.send(SseEmitter.event().data(payload));
				}
				catch (IOException | IllegalStateException ex) {
					this.emitters.remove(emitter);
				}
			}
		}

	}

}

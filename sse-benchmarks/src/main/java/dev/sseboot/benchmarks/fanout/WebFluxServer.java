package dev.sseboot.benchmarks.fanout;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** (c) Spring WebFlux on Reactor Netty: a multicast sink and Flux&lt;ServerSentEvent&gt;. */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = BenchServers.JETTY_REACTIVE)
@Import({ BenchControl.class, BenchSocketOptions.class, WebFluxServer.Stream.class })
public class WebFluxServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(WebFluxServer.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		application.run(args);
	}

	@Bean
	Broadcast broadcast(Stream stream) {
		return (payload) -> stream.sink.tryEmitNext(ServerSentEvent.builder(payload).build());
	}

	@Bean
	BenchControl.ClientCount clientCount(Stream stream) {
		return stream.subscribers::get;
	}

	@RestController
	static class Stream {

		final Sinks.Many<ServerSentEvent<String>> sink = Sinks.many().multicast().directBestEffort();

		final AtomicInteger subscribers = new AtomicInteger();

		@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> stream() {
			return this.sink.asFlux()
				.doOnSubscribe((subscription) -> this.subscribers.incrementAndGet())
				.doFinally((signal) -> this.subscribers.decrementAndGet());
		}

	}

}

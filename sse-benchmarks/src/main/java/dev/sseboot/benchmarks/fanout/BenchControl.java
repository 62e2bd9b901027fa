package dev.sseboot.benchmarks.fanout;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lets the load client start a publishing run and ask how many clients are connected (works on MVC and WebFlux). */
@RestController
public class BenchControl {

	private final Broadcast broadcast;

	private final ClientCount clients;

	public BenchControl(Broadcast broadcast, ClientCount clients) {
		this.broadcast = broadcast;
		this.clients = clients;
	}

	/** How many clients a server holds. */
	@FunctionalInterface
	public interface ClientCount {

		int get();

	}

	@PostMapping("/bench/run")
	Map<String, Object> run(@RequestParam int rate, @RequestParam int seconds, @RequestParam int bytes) {
		if (rate < 1 || rate > 100_000 || seconds < 1 || seconds > 600 || bytes < 32 || bytes > 65_536) {
			throw new IllegalArgumentException("rate 1..100000, seconds 1..600, bytes 32..65536");
		}
		Publisher.start(this.broadcast, rate, seconds, bytes);
		return Map.of("rate", rate, "seconds", seconds);
	}

	@GetMapping("/bench/clients")
	int clients() {
		return this.clients.get();
	}

}

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
	Map<String, Object> run(@RequestParam int rate, @RequestParam int seconds, @RequestParam int bytes,
			@RequestParam(defaultValue = "1") long first) {
		if (rate < 1 || rate > 100_000 || seconds < 1 || seconds > 600 || bytes < 32 || bytes > 65_536 || first < 1) {
			throw new IllegalArgumentException("rate 1..100000, seconds 1..600, bytes 32..65536, first 1 or more");
		}
		// a later run on the same streams numbers on from the last, as the load client counts repeats as duplicates
		Publisher.start(this.broadcast, rate, seconds, bytes, first);
		return Map.of("rate", rate, "seconds", seconds);
	}

	@GetMapping("/bench/clients")
	int clients() {
		return this.clients.get();
	}

}

package dev.sseboot.benchmarks.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.InMemorySseRuns;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseTransport;
import reactor.core.publisher.Flux;

/**
 * Tokens through one answer to many attached clients, in process (no sockets: each client is a channel over a
 * transport that counts bytes and is always ready, so what is measured is sse-boot's own work), three ways in the
 * same run:
 * <ul>
 * <li><b>run</b>: {@code SseRuns.start(tokens)}, every client attached with {@code SseRun.attach};</li>
 * <li><b>topic</b>: the tokens published to an {@code InMemoryBroadcaster} topic every client subscribes to (the
 * README's earlier design for resumable answers);</li>
 * <li><b>replay</b>: the hand-written way (the sample's before runs): Reactor's {@code replay().autoConnect()} shared
 * by every client's {@code channel.stream(flux)}.</li>
 * </ul>
 * Each way: warm-up rounds, then measured rounds; a round is one answer of {@code tokens} tokens, produced as fast
 * as demand allows, to {@code clients} attached clients, timed until every client has received every token. Writes
 * Markdown with tokens per second delivered and the ratios to {@code run}. Bounded by its arguments, about a minute.
 * <p>
 * Usage: {@code RunBenchmark <results dir> [clients=1000] [tokens=2000] [rounds=5]}.
 */
public final class RunBenchmark {

	/** Room for the whole answer: a topic closes a subscriber whose buffer is full (SLOW_CONSUMER). */
	private static final ChannelSettings SETTINGS = new ChannelSettings(4096, OverflowPolicy.BLOCK,
			Duration.ofSeconds(30));

	private RunBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path results = Path.of(args[0]);
		int clients = (args.length > 1) ? Integer.parseInt(args[1]) : 1_000;
		int tokens = (args.length > 2) ? Integer.parseInt(args[2]) : 2_000;
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 5;
		SseEncoder encoder = new SseEncoder();
		InMemorySseRuns runs = new InMemorySseRuns(Duration.ofMinutes(1), Duration.ofSeconds(1), tokens + 10);
		List<Way> ways = List.of(new Way("run", (channels) -> {
			SseRun run = runs.start(Flux.range(0, tokens).map((i) -> "token " + i));
			for (DefaultEventChannel channel : channels) {
				run.attach(channel, null);
			}
		}), new Way("topic", (channels) -> {
			InMemoryBroadcaster broadcaster = new InMemoryBroadcaster(encoder, tokens + 10);
			for (DefaultEventChannel channel : channels) {
				broadcaster.subscribe("answer", channel, null);
			}
			for (int i = 0; i < tokens; i++) {
				broadcaster.publish("answer", "token " + i);
			}
			for (DefaultEventChannel channel : channels) {
				channel.close();
			}
		}), new Way("replay", (channels) -> {
			Flux<String> shared = Flux.range(0, tokens).map((i) -> "token " + i).replay().autoConnect(1);
			for (DefaultEventChannel channel : channels) {
				channel.stream(shared);
			}
		}));
		StringBuilder report = new StringBuilder();
		report.append("<!-- ").append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, Java ").append(System.getProperty("java.version"))
			.append(": bash sse-benchmarks/run-runs.sh ").append(clients).append(' ').append(tokens).append(' ')
			.append(rounds).append(" -->\n");
		report.append("# One answer to many clients: ").append(tokens).append(" tokens to ").append(clients)
			.append(" attached clients, in process\n\n");
		report.append("| way | median round | tokens delivered per second | vs run |\n|---|---|---|---|\n");
		double runRate = 0;
		for (Way way : ways) {
			for (int i = 0; i < 2; i++) {
				round(way, clients, tokens);
			}
			long[] nanos = new long[rounds];
			for (int i = 0; i < rounds; i++) {
				nanos[i] = round(way, clients, tokens);
			}
			Arrays.sort(nanos);
			long median = nanos[rounds / 2];
			double rate = (double) clients * tokens / (median / 1e9);
			if (way.name.equals("run")) {
				runRate = rate;
			}
			report.append(String.format("| %s | %.1f ms | %,.0f | %.2fx |%n", way.name, median / 1e6, rate,
					rate / runRate));
			System.out.printf("%s: median %.1f ms, %,.0f tokens/s%n", way.name, median / 1e6, rate);
		}
		Files.createDirectories(results);
		Files.writeString(results.resolve("runs.md"), report.toString());
		System.out.println(report);
		System.exit(0);
	}

	/** One answer to {@code clients} fresh channels; the nanoseconds until every one has every token and ended. */
	private static long round(Way way, int clients, int tokens) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(clients);
		AtomicLong failures = new AtomicLong();
		List<DefaultEventChannel> channels = new ArrayList<>(clients);
		List<CountingTransport> transports = new ArrayList<>(clients);
		for (int i = 0; i < clients; i++) {
			CountingTransport transport = new CountingTransport();
			DefaultEventChannel channel = DefaultEventChannel.builder(transport).settings(SETTINGS).build();
			channel.onClose((reason) -> {
				if (reason != CloseReason.COMPLETED) {
					failures.incrementAndGet();
				}
				done.countDown();
			});
			channel.start();
			channels.add(channel);
			transports.add(transport);
		}
		long start = System.nanoTime();
		way.feed.accept(channels);
		if (!done.await(120, TimeUnit.SECONDS)) {
			throw new IllegalStateException(way.name + ": clients did not finish within 120 s");
		}
		long elapsed = System.nanoTime() - start;
		long expected = tokens;
		for (CountingTransport transport : transports) {
			if (transport.events != expected) {
				throw new IllegalStateException(way.name + ": a client got " + transport.events + " of " + expected);
			}
		}
		if (failures.get() > 0) {
			throw new IllegalStateException(way.name + ": " + failures + " clients did not complete");
		}
		return elapsed;
	}

	private record Way(String name, Consumer<List<DefaultEventChannel>> feed) {
	}

	/** Always ready; counts the events written (their "data: token" lines). */
	private static final class CountingTransport implements SseTransport {

		private volatile long events;

		@Override
		public void write(byte[] bytes) throws IOException {
			long count = 0;
			for (int i = 0; i + 5 < bytes.length; i++) {
				if (bytes[i] == 'd' && bytes[i + 1] == 'a' && bytes[i + 2] == 't' && bytes[i + 3] == 'a'
						&& bytes[i + 4] == ':' && (i == 0 || bytes[i - 1] == '\n')) {
					count++;
				}
			}
			this.events += count;
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}

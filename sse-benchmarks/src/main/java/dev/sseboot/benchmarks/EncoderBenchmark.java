package dev.sseboot.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link SseEncoder} on a small, a 1 KB and a multi-line event. The comparison with Spring's
 * {@code SseEmitter.event()} encoding comes with the benchmarks issue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncoderBenchmark {

	@Param({ "small", "1k", "multiline" })
	public String shape;

	private final SseEncoder encoder = new SseEncoder();

	private SseEvent event;

	@Setup
	public void setUp() {
		String data = switch (this.shape) {
			case "small" -> "{\"price\":101.25}";
			case "1k" -> "x".repeat(1024);
			default -> "line one\nline two\r\nline three\n{\"k\":\"é🎉\"}";
		};
		this.event = SseEvent.builder().name("tick").id("1732560000000-0").data(data).build();
	}

	@Benchmark
	public byte[] encode() {
		return this.encoder.encode(this.event);
	}

}

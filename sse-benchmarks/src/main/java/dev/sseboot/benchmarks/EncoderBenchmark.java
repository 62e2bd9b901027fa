package dev.sseboot.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
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

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Encoding one event to bytes: {@link SseEncoder} against what Spring MVC does for {@code SseEmitter.send(event())}:
 * the builder's parts, each written through the {@link StringHttpMessageConverter} into the response stream.
 * Run with {@code -prof gc} for allocation per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderBenchmark {

	/** Set by JMH before {@link #setUp()}. */
	@Param({ "small", "1k", "multiline" })
	public String shape = "small";

	private final SseEncoder encoder = new SseEncoder();

	private final StringHttpMessageConverter converter = new StringHttpMessageConverter();

	private SseEvent event;

	private String data;

	@Setup
	public void setUp() {
		this.data = switch (this.shape) {
			case "small" -> "{\"price\":101.25}";
			case "1k" -> "x".repeat(1024);
			default -> "line one\nline two\nline three\n{\"k\":\"é🎉\"}";
		};
		this.event = SseEvent.builder().name("tick").id("1732560000000-0").data(this.data).build();
	}

	@Benchmark
	public byte[] sseBoot() {
		return this.encoder.encode(this.event);
	}

	@Benchmark
	public byte[] springSseEmitter() throws IOException {
		Set<DataWithMediaType> parts = SseEmitter.event().name("tick").id("1732560000000-0").data(this.data).build();
		Buffer out = new Buffer();
		for (DataWithMediaType part : parts) {
			this.converter.write((String) part.getData(), part.getMediaType(), out);
		}
		return out.body.toByteArray();
	}

	/** The response as Spring writes to it: headers ignored (the stream is committed), body collected. */
	static final class Buffer implements HttpOutputMessage {

		final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

		private final HttpHeaders headers = new HttpHeaders();

		@Override
		public OutputStream getBody() {
			return this.body;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}


}

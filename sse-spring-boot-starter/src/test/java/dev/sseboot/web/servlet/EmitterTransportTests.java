package dev.sseboot.web.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EmitterTransport} over a stream whose readiness the test sets: it asks the container whether it may write
 * only when the answer may have changed (after its own writes), never answers ready for a stream that said no after a
 * write, and flushes what a not-ready stream held once the stream is ready again.
 */
class EmitterTransportTests {

	private final ReadyStream out = new ReadyStream();

	private EmitterTransport transport;

	@BeforeEach
	void start() {
		StreamingEmitter emitter = new StreamingEmitter(0);
		emitter.extendResponse(new ServletServerHttpResponse(new HttpServletResponseWrapper(
				new MockHttpServletResponse()) {

			@Override
			public ServletOutputStream getOutputStream() {
				return EmitterTransportTests.this.out;
			}

		}));
		this.transport = new EmitterTransport(emitter, ConnectionAbort.NONE);
		this.transport.start(() -> {
		});
	}

	@Test
	void aStreamThatAnsweredReadyIsNotAskedAgainUntilSomethingIsWritten() throws Exception {
		assertThat(this.transport.isReady()).isTrue();
		int asked = this.out.asked;
		assertThat(this.transport.isReady()).isTrue();
		assertThat(this.transport.isReady()).isTrue();
		assertThat(this.out.asked).isEqualTo(asked);
		this.transport.write(bytes("data: a\n\n"));
		assertThat(this.transport.isReady()).isTrue();
		assertThat(this.out.asked).isGreaterThan(asked);
	}

	@Test
	void afterAWriteTheStreamIsAskedAgainAndItsNoIsTheAnswer() throws Exception {
		assertThat(this.transport.isReady()).isTrue();
		this.transport.write(bytes("data: a\n\n"));
		assertThat(this.out.flushes).isEqualTo(1);
		this.out.ready = false;
		assertThat(this.transport.isReady()).isFalse();
		assertThat(this.transport.isReady()).isFalse();
		this.out.ready = true;
		assertThat(this.transport.isReady()).isTrue();
	}

	@Test
	void bytesWrittenWhileTheStreamCouldNotFlushAreFlushedOnceItIsReady() throws Exception {
		assertThat(this.transport.isReady()).isTrue();
		this.out.readyAfterWrite = false;
		this.transport.write(bytes("data: a\n\n"));
		assertThat(this.out.flushes).isZero();
		assertThat(this.transport.isReady()).isFalse();
		this.out.ready = true;
		assertThat(this.transport.isReady()).isTrue();
		assertThat(this.out.flushes).isEqualTo(1);
		assertThat(this.out.written()).isEqualTo("data: a\n\n");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A non-blocking stream that says ready as told, and counts how often it is asked and flushed. */
	private static final class ReadyStream extends ServletOutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		boolean ready = true;

		/** What {@link #ready} becomes after each write (a write that filled the socket makes it false). */
		boolean readyAfterWrite = true;

		int asked;

		int flushes;

		@Override
		public boolean isReady() {
			this.asked++;
			return this.ready;
		}

		@Override
		public void setWriteListener(@Nullable WriteListener listener) {
		}

		@Override
		public void write(int b) {
			this.bytes.write(b);
			this.ready = this.readyAfterWrite;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.bytes.write(b, off, len);
			this.ready = this.readyAfterWrite;
		}

		@Override
		public void flush() {
			this.flushes++;
		}

		String written() {
			return this.bytes.toString(StandardCharsets.UTF_8);
		}

	}

}

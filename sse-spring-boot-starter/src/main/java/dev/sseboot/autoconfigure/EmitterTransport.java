package dev.sseboot.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.sseboot.core.SseTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;

/**
 * The core's transport over a Spring MVC {@link StreamingEmitter}: bytes the core already encoded are written to the
 * committed response's stream as they are, one write and one flush per drain. Completion goes through the emitter,
 * which ends the async request. A lock orders writes and completion, since a container callback (timeout) may
 * complete the response while a drain writes.
 */
final class EmitterTransport implements SseTransport {

	private static final byte[] EMPTY = new byte[0];

	private final StreamingEmitter emitter;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable OutputStream body;

	private boolean completed;

	EmitterTransport(StreamingEmitter emitter) {
		this.emitter = emitter;
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		this.lock.lock();
		try {
			if (this.completed) {
				throw new IOException("SSE response already completed");
			}
			ServerHttpResponse response = this.emitter.response();
			if (response == null) {
				// not handed a response (never expected once started): let Spring MVC write it
				this.emitter.send(Set.of(new DataWithMediaType(bytes, MediaType.TEXT_EVENT_STREAM)));
				return;
			}
			body(response).write(bytes);
			// the body stream Spring hands out ignores flush(); flushing the response pushes the bytes out
			response.flush();
		}
		catch (IllegalStateException ex) {
			throw new IOException("SSE response no longer writable: " + ex.getMessage(), ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Each write already ends with a flush; this one is for a stream that has nothing to send yet, so that its
	 * headers reach the client (Spring MVC does not push them out by itself).
	 */
	@Override
	public void flush() throws IOException {
		write(EMPTY);
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.completed) {
				return;
			}
			this.completed = true;
		}
		finally {
			this.lock.unlock();
		}
		this.emitter.complete();
	}

	private OutputStream body(ServerHttpResponse response) throws IOException {
		OutputStream out = this.body;
		if (out == null) {
			out = response.getBody();
			this.body = out;
		}
		return out;
	}

}

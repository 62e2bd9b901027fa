package dev.sseboot.autoconfigure;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sseboot.core.SseTransport;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The core's transport over Spring MVC's {@link SseEmitter}: bytes the core already encoded go out as they are
 * (through the byte-array message converter), each write flushed once. The emitter serialises writes and completion
 * with its own lock, so completing it from a container callback cannot interleave with a write.
 */
final class EmitterTransport implements SseTransport {

	private final SseEmitter emitter;

	private final AtomicBoolean completed = new AtomicBoolean();

	EmitterTransport(SseEmitter emitter) {
		this.emitter = emitter;
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		if (this.completed.get()) {
			throw new IOException("SSE response already completed");
		}
		try {
			this.emitter.send(Set.of(new DataWithMediaType(bytes, MediaType.TEXT_EVENT_STREAM)));
		}
		catch (IllegalStateException ex) {
			throw new IOException("SSE response no longer writable: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void flush() {
		// each emitter send is one write and one flush
	}

	@Override
	public void close() {
		if (this.completed.compareAndSet(false, true)) {
			this.emitter.complete();
		}
	}

}

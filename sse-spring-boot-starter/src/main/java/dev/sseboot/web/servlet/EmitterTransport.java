package dev.sseboot.web.servlet;

import java.io.IOException;

import dev.sseboot.core.SseTransport;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The core's transport over a Spring MVC {@link StreamingEmitter}, with Servlet non-blocking output: bytes the core
 * already encoded are written to the committed response's stream only while it {@link ServletOutputStream#isReady()
 * is ready}, and the container's {@link WriteListener#onWritePossible()} asks the channel for the next drain, so no
 * thread ever waits on a client.
 * <p>
 * A graceful end goes through the emitter, which lets Spring MVC end the async request. An end while bytes are still
 * pending (a client that stopped reading) aborts the connection instead, where the container allows it (see
 * {@link ConnectionAbort}), since a flush that never comes would otherwise hold it until the container's timeout.
 * This object's monitor (not a lock object: one less per stream) orders every call into the container, since
 * container callbacks (timeout, error, completion) arrive on container threads while a drain writes; each call under
 * it is non-blocking. After the container has ended the
 * request, nothing touches the response again: containers recycle it.
 */
final class EmitterTransport implements SseTransport {

	private final StreamingEmitter emitter;

	private final ConnectionAbort abort;

	private @Nullable ServletOutputStream out;

	/** Written bytes wait for a flush, which the stream refused while not ready. */
	private boolean flushPending;

	/**
	 * The stream answered ready and nothing was written or flushed since. Only our own writes make a stream not
	 * ready, so asking again would get the same answer; and asking costs (Tomcat takes locks and allocates for it, on
	 * every call). A drain asks once after each write, then once more before the next, which is the one this saves.
	 */
	private boolean knownReady;

	/** Nothing may touch the response any more: ended by us or by the container. */
	private boolean ended;

	/** The container reported a write error: the response is past use, but still ours to complete. */
	private boolean failed;

	/** Something was written or flushed: until then there is nothing to abort, and the head is not out yet. */
	private boolean wrote;

	/** The stream's own timeout is being handled on a container thread: the end is that callback's to make. */
	private boolean timingOut;

	EmitterTransport(StreamingEmitter emitter, ConnectionAbort abort) {
		this.emitter = emitter;
		this.abort = abort;
	}

	@Override
	public void start(Runnable onWritable) {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			HttpServletResponse response = this.emitter.response();
			if (response == null) {
				throw new IllegalStateException("SSE emitter was never handed its response by Spring MVC");
			}
			try {
				ServletOutputStream stream = response.getOutputStream();
				stream.setWriteListener(new Listener(onWritable));
				this.out = stream;
			}
			catch (IOException ex) {
				throw new IllegalStateException("SSE response has no output stream: " + ex.getMessage(), ex);
			}
		}
	}

	@Override
	public boolean isReady() throws IOException {
		synchronized (this) {
			ServletOutputStream stream = stream();
			if (this.knownReady) {
				return true;
			}
			if (!stream.isReady()) {
				return false;
			}
			if (this.flushPending) {
				this.flushPending = false;
				stream.flush();
				this.knownReady = stream.isReady();
				return this.knownReady;
			}
			this.knownReady = true;
			return true;
		}
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		synchronized (this) {
			ServletOutputStream stream = stream();
			this.wrote = true;
			this.knownReady = false;
			stream.write(bytes);
			push(stream);
		}
	}

	/** Pushes the response head out: Spring MVC commits the headers only at the first write or flush. */
	@Override
	public void flush() throws IOException {
		synchronized (this) {
			ServletOutputStream stream = stream();
			this.wrote = true;
			push(stream);
		}
	}

	@Override
	public void close() {
		end(false);
	}

	@Override
	public void abort() {
		end(true);
	}

	/**
	 * Ends the request once: gracefully through the emitter, or, when asked to or when bytes are still pending, by
	 * aborting the connection where the container allows (an abort may finish in {@link #timedOut()}). Under the
	 * monitor, so that it cannot race the container's completion callbacks and touch a recycled request.
	 */
	private void end(boolean abort) {
		boolean aborted;
		synchronized (this) {
			if (this.ended || this.timingOut) {
				return;
			}
			this.ended = true;
			// nothing written yet: the response is not a stream (yet) or its head is still to go out, and a graceful
			// end is what it needs (it may also be Spring MVC's error response, which must not be touched)
			IOException reason = new IOException("SSE stream ended by the server without waiting for the client");
			aborted = this.wrote && !this.failed && (abort || pending()) && this.abort.abort(reason);
		}
		if (!aborted) {
			this.emitter.complete();
		}
	}

	/**
	 * Called from the emitter's timeout callback, on a container thread: {@code true} when the timeout was an abort's
	 * doing, which it now finishes by completing the request; {@code false} for the stream's own timeout.
	 */
	boolean timedOut() {
		if (this.abort.onTimeout()) {
			this.emitter.complete();
			return true;
		}
		return false;
	}

	/**
	 * The stream's own timeout, from the emitter's timeout callback on a container thread: runs {@code closeChannel}
	 * (which decides the channel's close; its drain then leaves the end of the request to this call), then ends the
	 * request here and now, aborting the connection when bytes are pending. Tomcat would otherwise hold a client that
	 * stopped reading until its write timeout, and a second timeout cannot come while this one is handled.
	 */
	void timeout(Runnable closeChannel) {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.timingOut = true;
		}
		closeChannel.run();
		boolean complete;
		synchronized (this) {
			this.ended = true;
			complete = !(this.wrote && !this.failed && pending())
					|| this.abort.abortInTimeout(new IOException("SSE stream timed out; its client took nothing more"));
		}
		if (complete) {
			this.emitter.complete();
		}
	}

	/**
	 * The container ended the request (completion, error): from now on nothing touches the response, which it may
	 * recycle. Called from the emitter's callbacks, before the container recycles anything.
	 */
	void released() {
		synchronized (this) {
			this.ended = true;
		}
	}

	private void failed() {
		synchronized (this) {
			this.failed = true;
		}
	}

	private ServletOutputStream stream() throws IOException {
		ServletOutputStream stream = this.out;
		if (this.ended || this.failed || stream == null) {
			throw new IOException((stream == null) ? "SSE response not started" : "SSE response already ended");
		}
		return stream;
	}

	private void push(ServletOutputStream stream) throws IOException {
		this.knownReady = false;
		if (stream.isReady()) {
			stream.flush();
		}
		else {
			this.flushPending = true;
		}
	}

	/** Whether written bytes are still held by the container, so that a graceful end would wait on the client. */
	private boolean pending() {
		ServletOutputStream stream = this.out;
		if (stream == null) {
			return false;
		}
		try {
			return this.flushPending || !stream.isReady();
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	private final class Listener implements WriteListener {

		private final Runnable onWritable;

		Listener(Runnable onWritable) {
			this.onWritable = onWritable;
		}

		@Override
		public void onWritePossible() {
			this.onWritable.run();
		}

		@Override
		public void onError(@Nullable Throwable failure) {
			// the next drain finds the transport gone and closes it, which completes the request: not every
			// container ends it by itself after a write error (Jetty does not)
			failed();
			this.onWritable.run();
		}

	}

}

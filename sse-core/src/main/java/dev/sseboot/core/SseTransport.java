package dev.sseboot.core;

import java.io.IOException;

/**
 * The seam between a channel and a connection: the only thing a web adapter implements for the core. A channel
 * calls these from one thread at a time (its drain), never from the application's thread, and never after
 * {@link #close()}. A transport reports a connection it has found gone by closing the channel with
 * {@link DefaultEventChannel#close(CloseReason)} and {@link CloseReason#CLIENT_GONE}.
 */
public interface SseTransport {

	/**
	 * Writes bytes of one or more whole events; may block while the client is slow.
	 * @throws IOException when the connection is gone
	 */
	void write(byte[] bytes) throws IOException;

	/**
	 * Pushes written bytes to the client.
	 * @throws IOException when the connection is gone
	 */
	void flush() throws IOException;

	/** Ends the response. Called exactly once, after the last write; must not throw for a connection already gone. */
	void close();

}

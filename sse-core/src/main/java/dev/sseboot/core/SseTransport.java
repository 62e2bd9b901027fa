package dev.sseboot.core;

import java.io.IOException;

/**
 * The seam between a channel and a connection: the only thing a web adapter implements for the core.
 * <p>
 * A transport is non-blocking when it can say it is not ready: the channel then writes only after
 * {@link #isReady()} answered {@code true}, and a transport that answered {@code false} runs the callback it was
 * {@link #start(Runnable) started} with once it can take bytes again. Meanwhile events wait in the channel's bounded
 * buffer, where the overflow policy applies. The defaults describe a blocking transport: always ready, nothing to
 * start.
 * <p>
 * Apart from {@link #start(Runnable)}, a channel calls these from one thread at a time (its drain), never from the
 * application's thread, and never after {@link #close()}. A transport reports a connection it has found gone by
 * closing the channel with {@link DefaultEventChannel#close(CloseReason)} and {@link CloseReason#CLIENT_GONE}.
 */
public interface SseTransport {

	/**
	 * Called once by {@link DefaultEventChannel#start()}, on the thread that starts the channel and before any other
	 * call: {@code onWritable} is what to run when the transport can take bytes again after {@link #isReady()}
	 * answered {@code false}. It may run on any thread, and must not be run more than once per {@code false}.
	 */
	default void start(Runnable onWritable) {
	}

	/**
	 * Whether {@link #write(byte[])} may be called now without blocking. {@code false} means bytes of an earlier
	 * write are still pending; the transport then runs its {@code onWritable} callback once they are out.
	 * @throws IOException when the connection is gone
	 */
	default boolean isReady() throws IOException {
		return true;
	}

	/**
	 * Writes bytes of one or more whole events and pushes them to the client. A non-blocking transport is called
	 * only after {@link #isReady()} answered {@code true} and never blocks; a blocking one may block while the
	 * client is slow.
	 * @throws IOException when the connection is gone
	 */
	void write(byte[] bytes) throws IOException;

	/**
	 * Pushes the response head (and anything written) to the client; used when a stream has nothing to send yet.
	 * Called, like {@link #write(byte[])}, only after {@link #isReady()} answered {@code true}.
	 * @throws IOException when the connection is gone
	 */
	void flush() throws IOException;

	/**
	 * Ends the response. Called at most once, after the last write, instead of {@link #abort()}; must not throw for a
	 * connection already gone, and must not block. When bytes are still pending (the last {@link #isReady()}
	 * answered {@code false}), a non-blocking transport drops them and ends the connection at once, rather than
	 * waiting for a client that is not reading.
	 */
	void close();

	/**
	 * Ends the connection at once, dropping whatever the client has not taken, even bytes already handed to the
	 * network: the channel calls this instead of {@link #close()} when the client cannot be trusted to read
	 * ({@link CloseReason#SLOW_CONSUMER}, {@link CloseReason#CLIENT_GONE}, {@link CloseReason#ERROR}). A graceful
	 * end by default, for transports that have no way to abort.
	 */
	default void abort() {
		close();
	}

}

package dev.sseboot.core;

/**
 * Why a channel closed. A channel closes exactly once, with exactly one reason, whatever races.
 */
public enum CloseReason {

	/** The client went away: a write failed, or the container reported the connection gone. */
	CLIENT_GONE,

	/** The application closed the channel, and everything it had sent was written. */
	COMPLETED,

	/** The stream reached its maximum lifetime; the client reconnects. */
	TIMEOUT,

	/** The client did not read fast enough for the buffer and its overflow policy. */
	SLOW_CONSUMER,

	/** The application is shutting down. */
	SHUTDOWN,

	/**
	 * The principal's authorization ran out (the deadline an {@code SseTopicAuthorizer} gave, such as its token's
	 * expiry): the stream was closed after a final {@code retry:}, so the client reconnects and is authorized afresh.
	 */
	UNAUTHORIZED,

	/** Something unexpected failed on the server side. */
	ERROR

}

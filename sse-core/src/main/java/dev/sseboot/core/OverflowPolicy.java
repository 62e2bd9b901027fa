package dev.sseboot.core;

/**
 * What {@link EventChannel#send(SseEvent)} does when the connection's buffer is full. Every event an overflow
 * policy discards is counted as dropped.
 */
public enum OverflowPolicy {

	/**
	 * Wait up to the send timeout for room; if none comes, close the connection as
	 * {@link CloseReason#SLOW_CONSUMER} and return {@code false}. Nothing accepted is ever dropped while the
	 * connection stays open. Before the channel has started (while an endpoint method runs) nothing can make room,
	 * so a full buffer closes it at once, as {@link #CLOSE} does.
	 */
	BLOCK,

	/** Discard the oldest buffered event to make room for the new one. */
	DROP_OLDEST,

	/** Discard the new event; the buffered ones stay. */
	DROP_NEWEST,

	/** Close the connection at once as {@link CloseReason#SLOW_CONSUMER}. */
	CLOSE

}

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
	CLOSE,

	/**
	 * For dashboards and tickers, where only the latest value of each thing matters: an event with a
	 * {@link SseEvent#key() key} replaces a queued event of the channel's with the same key, in its place (its
	 * position in the stream is kept, its value is the new one); an event whose key is not queued, or that has none,
	 * drops the oldest, as {@link #DROP_OLDEST} does. The replaced or dropped event is counted as dropped.
	 */
	CONFLATE

}

package dev.sseboot.core;

/**
 * A {@link Broadcaster} refused a new topic: it holds its maximum number of topics. Nothing was published or
 * subscribed. Topics are meant to come from a bounded set of names; a topic without subscribers is forgotten after
 * its idle expiry, which makes room again.
 */
public class TooManyTopicsException extends IllegalStateException {

	private final int limit;

	public TooManyTopicsException(int limit) {
		super("SSE broadcaster holds its maximum of " + limit + " topics, so no new one can start: derive topic names "
				+ "from a bounded set, or let topics without subscribers expire sooner (sse.replay.idle-expiry)");
		this.limit = limit;
	}

	/** The number of topics the broadcaster holds at most. */
	public int limit() {
		return this.limit;
	}

}

package dev.sseboot.redis;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What a new subscriber of a Redis topic receives first, decided from its {@code Last-Event-ID} and the topic's
 * stream: pure, so every case is tested without Redis.
 */
sealed interface Resume {

	/**
	 * Decides for a client that sent {@code lastEventId} ({@code null}: none) to a topic whose stream ends at
	 * {@code last} ({@link StreamId#ZERO} when empty) and starts at what {@code first} returns (asked only when a
	 * replay is possible; {@code null} when the stream is empty).
	 */
	static Resume decide(@Nullable String lastEventId, StreamId last, Supplier<@Nullable StreamId> first) {
		if (lastEventId == null) {
			return new Position(last);
		}
		StreamId seen = StreamId.parse(lastEventId);
		if (seen == null || seen.isAfter(last)) {
			// not an id of this stream, or one from its future (another Redis, a flushed one): the client must reload
			return new Reset(last);
		}
		if (seen.equals(last)) {
			return new UpToDate();
		}
		StreamId oldest = first.get();
		return (oldest != null && seen.compareTo(oldest) >= 0) ? new Replay(seen, last) : new Reset(last);
	}

	/** No {@code Last-Event-ID}: an id-only block with the topic's position, so the client can resume later. */
	record Position(StreamId id) implements Resume {

	}

	/** The client has seen everything: nothing to send. */
	record UpToDate() implements Resume {

	}

	/** The entries after {@code after}, up to {@code upTo} inclusive, then live events. */
	record Replay(StreamId after, StreamId upTo) implements Resume {

	}

	/** Events the client missed are gone (or its id is none of this stream's): {@code sse-reset} at {@code id}. */
	record Reset(StreamId id) implements Resume {

	}

}

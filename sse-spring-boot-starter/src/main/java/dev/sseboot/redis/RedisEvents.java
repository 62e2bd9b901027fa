package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EncodedEvents;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;

import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Events as the Redis mode stores and sends them: stored without an id (the entry's id becomes the event's, so a
 * client can resume on any instance), encoded once per instance when read, and the blocks it sends of its own: the
 * position, {@code sse-reset}.
 */
final class RedisEvents {

	private final SseEncoder encoder;

	RedisEvents(SseEncoder encoder) {
		this.encoder = encoder;
	}

	/** {@code event} as stored: encoded without its id. */
	String stored(SseEvent event) {
		SseEvent withoutId = (event.id() != null) ? event.toBuilder().id(null).build() : event;
		return new String(this.encoder.encode(withoutId), StandardCharsets.UTF_8);
	}

	/** A stored event with its entry's {@code id}. */
	EncodedEvents withId(StreamId id, byte[] stored) {
		return EncodedEvents.of(this.encoder.withId(id.toString(), stored));
	}

	/** The event of an entry of a topic's stream, with the entry's id. */
	EncodedEvents of(MapRecord<String, Object, Object> record) {
		Object value = record.getValue().get(RedisTopicStreams.FIELD);
		return withId(StreamId.of(record.getId().getValue()), String.valueOf(value).getBytes(StandardCharsets.UTF_8));
	}

	/** An id-only block: where a new subscriber without {@code Last-Event-ID} starts. */
	EncodedEvents position(StreamId id) {
		return new EncodedEvents(this.encoder.encode(SseEvent.builder().id(id.toString()).build()), 0);
	}

	/** {@code sse-reset} for {@code topic}, at {@code id} when it is a stream id. */
	EncodedEvents reset(String topic, String id) {
		SseEvent reset = SseEvent.builder()
			.name(Broadcaster.RESET_EVENT)
			.data(topic)
			.id((StreamId.parse(id) != null) ? id : null)
			.build();
		return EncodedEvents.of(this.encoder.encode(reset));
	}

}

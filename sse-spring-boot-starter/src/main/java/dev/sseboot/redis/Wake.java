package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a wake-up: its topic, and on standalone the entry's id, the id of the topic's entry before it and the
 * encoded event (see {@link RedisTopicStreams#PUBLISH_SCRIPT}).
 */
record Wake(@Nullable String topic, @Nullable StreamId id, @Nullable StreamId previous, byte @Nullable [] event) {

	static Wake of(Map<byte[], byte[]> fields) {
		String topic = null;
		StreamId id = null;
		StreamId previous = null;
		byte[] event = null;
		for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
			switch (new String(field.getKey(), StandardCharsets.UTF_8)) {
				case RedisTopicStreams.WAKE_TOPIC -> topic = text(field.getValue());
				case RedisTopicStreams.WAKE_ID -> id = StreamId.parse(text(field.getValue()));
				case RedisTopicStreams.WAKE_PREVIOUS -> previous = StreamId.parse(text(field.getValue()));
				case RedisTopicStreams.FIELD -> event = field.getValue();
				default -> {
				}
			}
		}
		return new Wake(topic, id, previous, event);
	}

	private static String text(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

}

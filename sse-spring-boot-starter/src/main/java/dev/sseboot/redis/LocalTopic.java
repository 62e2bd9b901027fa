package dev.sseboot.redis;

import dev.sseboot.core.TopicSubscribers;
import org.jspecify.annotations.Nullable;

/**
 * One topic with subscribers on this instance. Its subscribers and {@link #removed} are guarded by its monitor, which
 * every delivery takes; {@link #position} is written under it too, and read outside it.
 */
final class LocalTopic {

	final String name;

	final TopicSubscribers subscribers = new TopicSubscribers();

	/** The last stream id delivered to local subscribers; {@code null} until Redis has been asked. */
	volatile @Nullable StreamId position;

	/** Whether it left the registry (its last subscriber left): a subscribe that finds it so starts again. */
	boolean removed;

	LocalTopic(String name) {
		this.name = name;
	}

}

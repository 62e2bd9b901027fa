package dev.sseboot.redis;

import java.util.function.Consumer;

import dev.sseboot.core.TopicSubscribers;
import org.jspecify.annotations.Nullable;

/**
 * One topic with subscribers on this instance. Its subscribers and {@link #removed} are guarded by its monitor, which
 * every delivery takes; {@link #position} is written under it too, and read outside it.
 */
final class LocalTopic {

	final String name;

	final TopicSubscribers subscribers;

	/** The last stream id delivered to local subscribers; {@code null} until Redis has been asked. */
	volatile @Nullable StreamId position;

	/** Whether it left the registry (its last subscriber left): a subscribe that finds it so starts again. */
	boolean removed;

	/** @param onEmpty told, under this topic's monitor, when its last subscriber has left */
	LocalTopic(String name, Consumer<LocalTopic> onEmpty) {
		this.name = name;
		this.subscribers = new TopicSubscribers(this, () -> {
			if (!this.removed && isEmpty()) {
				onEmpty.accept(this);
			}
		});
	}

	private boolean isEmpty() {
		return this.subscribers.isEmpty();
	}

}

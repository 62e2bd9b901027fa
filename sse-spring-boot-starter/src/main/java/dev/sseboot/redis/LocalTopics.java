package dev.sseboot.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sseboot.core.Broadcaster.TopicInfo;
import org.jspecify.annotations.Nullable;

/**
 * The topics this instance has subscribers for, and where each stands in its Redis stream: what the broadcaster
 * subscribes to and the reader delivers to. A topic is forgotten when its last subscriber leaves.
 */
final class LocalTopics {

	private final Map<String, LocalTopic> topics = new ConcurrentHashMap<>();

	private final RedisTopicStreams streams;

	private final RedisEvents events;

	LocalTopics(RedisTopicStreams streams, RedisEvents events) {
		this.streams = streams;
		this.events = events;
	}

	/** The topic named {@code name}, registered if it was not. */
	LocalTopic attach(String name) {
		return this.topics.computeIfAbsent(name, (key) -> new LocalTopic(key, this::forget));
	}

	@Nullable LocalTopic get(String name) {
		return this.topics.get(name);
	}

	/** Every topic now. */
	List<LocalTopic> all() {
		return new ArrayList<>(this.topics.values());
	}

	int size() {
		return this.topics.size();
	}

	/** Forgets {@code topic}; called under its monitor. */
	void forget(LocalTopic topic) {
		topic.removed = true;
		this.topics.remove(topic.name, topic);
	}

	/**
	 * The last stream id delivered to {@code topic}'s local subscribers, asking Redis (outside the lock) the first
	 * time: the stream's last entry then. Subscribers that joined while it could not be asked get {@code sse-reset}
	 * at it: what was published between their subscribe and now is unknown.
	 * @throws RuntimeException when Redis is unreachable
	 */
	StreamId positionOf(LocalTopic topic) {
		StreamId position = topic.position;
		if (position != null) {
			return position;
		}
		StreamId last = this.streams.lastId(topic.name);
		synchronized (topic) {
			// a subscriber or the reader may have set it meanwhile: overwriting would skip what came in between
			if (topic.position == null) {
				topic.position = last;
				if (!topic.subscribers.isEmpty()) {
					topic.subscribers.deliver(this.events.reset(topic.name, last.toString()));
				}
			}
			return topic.position;
		}
	}

	/** Each topic's subscribers, by name; the replay window is Redis's, of {@code replaySize}. */
	Map<String, TopicInfo> info(int replaySize) {
		Map<String, TopicInfo> info = new LinkedHashMap<>();
		this.topics.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((entry) -> {
			synchronized (entry.getValue()) {
				info.put(entry.getKey(), new TopicInfo(entry.getValue().subscribers.size(), 0, replaySize));
			}
		});
		return info;
	}

}

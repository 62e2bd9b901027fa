package dev.sseboot.core;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Topics: publish once, deliver to every subscriber, and let a client that reconnects catch up.
 * <p>
 * Guarantees of every implementation:
 * <ul>
 * <li>each event is encoded once per publish, whatever the number of subscribers;</li>
 * <li>a full subscriber never delays the others or the publisher: it is closed at once as
 * {@link CloseReason#SLOW_CONSUMER}, and recovers by replay when it reconnects;</li>
 * <li>a subscription without {@code Last-Event-ID} receives only events published after it; one with a
 * {@code Last-Event-ID} first receives every later event still held, then live events, with no gap and no
 * duplicate, even while publishing goes on;</li>
 * <li>an id that is unknown (from another run, or never issued) or older than the replay window starts the stream
 * with an event named {@value #RESET_EVENT}, so the application can reload its state: nothing is lost
 * silently.</li>
 * </ul>
 */
public interface Broadcaster {

	/** The name of the event that tells a client its {@code Last-Event-ID} could not be resumed. */
	String RESET_EVENT = "sse-reset";

	/**
	 * Delivers {@code event} to every subscriber of {@code topic} and keeps it for replay.
	 * @return the event's id: its own, or the one assigned when it had none
	 * @throws IllegalArgumentException when the topic name or the event's data is invalid
	 * @throws TooManyTopicsException when {@code topic} is new and the broadcaster holds its maximum of topics
	 * (nothing was published)
	 */
	String publish(String topic, SseEvent event);

	/** Publishes {@code data} as an event of the default type; see {@link #publish(String, SseEvent)}. */
	default String publish(String topic, Object data) {
		return publish(topic, (data instanceof SseEvent event) ? event : SseEvent.of(data));
	}

	/**
	 * Attaches {@code channel} to {@code topic}, resuming after the channel's {@link EventChannel#lastEventId()}.
	 * Closing the channel detaches it.
	 */
	default void subscribe(String topic, EventChannel channel) {
		subscribe(topic, channel, channel.lastEventId().orElse(null));
	}

	/**
	 * Attaches {@code channel} to {@code topic}, resuming after {@code lastEventId} when it is not null.
	 * @throws TooManyTopicsException when {@code topic} is new and the broadcaster holds its maximum of topics
	 * (nothing was attached)
	 */
	void subscribe(String topic, EventChannel channel, @Nullable String lastEventId);

	/**
	 * Attaches {@code channel} to every topic of {@code topics} as one stream with one cursor, resuming each after
	 * its position in the channel's {@link EventChannel#lastEventId()}; see
	 * {@link #subscribe(Collection, EventChannel, String)}.
	 */
	default void subscribe(Collection<String> topics, EventChannel channel) {
		subscribe(topics, channel, channel.lastEventId().orElse(null));
	}

	/**
	 * Attaches {@code channel} to every topic of {@code topics} (duplicates ignored) as one stream with one cursor.
	 * Each event goes out with the id {@code <topic> <cursor>}: the topic it was published to, a space, and a cursor
	 * that holds every topic's position, so that {@code lastEventId} (the last id the client saw, or null) resumes
	 * every topic with nothing missed and nothing twice, and a topic that cannot be resumed gets
	 * {@value #RESET_EVENT} naming it while the others resume. The event's name and data stay as published. The
	 * topic is everything before the id's last space; an id-only block carries the cursor alone. Events published
	 * while the stream was away come first, in the order of their ids (publish order on one instance), then live
	 * events as they arrive. The cursor is positional over the topics sorted by name: an id from another set of
	 * topics resumes every topic with {@value #RESET_EVENT}.
	 * @throws IllegalArgumentException when a topic name is invalid, or {@code topics} is empty
	 * @throws TooManyTopicsException when a topic is new and the broadcaster holds its maximum of topics (nothing
	 * was attached)
	 */
	default void subscribe(Collection<String> topics, EventChannel channel, @Nullable String lastEventId) {
		TopicMux.subscribe(this, topics, channel, lastEventId);
	}

	/** How many times a new topic was refused so far ({@link TooManyTopicsException}); 0 where there is no limit. */
	default long refusedTopics() {
		return 0;
	}

	/** The topics that have subscribers or held events, with their state. */
	Map<String, TopicInfo> topics();

	/**
	 * A topic's state, for monitoring.
	 *
	 * @param subscribers channels attached now
	 * @param held events kept for replay
	 * @param capacity the replay window
	 */
	record TopicInfo(int subscribers, int held, int capacity) {

	}

}

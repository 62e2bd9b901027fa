package dev.sseboot.core;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A wire format spoken over SSE: how a streamed publisher's items (and a run's events) become the events a client
 * of that format parses, what starts and ends a stream, how an error is told, which headers go with it, whether
 * comment heartbeats are allowed, and which {@code Accept} media types it answers. Built in:
 * {@link SseFormats#SSE} ({@code sse}, plain events), {@link SseFormats#openAiChat(String)} ({@code openai-chat})
 * and {@link SseFormats#aiSdkUi()} ({@code ai-sdk-ui}). The starter selects one by name with
 * {@code @SseEndpoint(format = ...)}; a bean of this type adds one (or replaces a built-in of the same name).
 * <p>
 * The format applies to what sse-boot streams: a publisher an endpoint returns, and a run. Events an endpoint method
 * sends on its channel itself are written as they are.
 */
public interface SseFormat {

	/** The name endpoints select it by, such as {@code openai-chat}. */
	String name();

	/** Headers added to every response in this format (besides {@code Content-Type: text/event-stream}). */
	default Map<String, String> headers() {
		return Map.of();
	}

	/**
	 * Whether comment heartbeats ({@code :} lines) may be written. Clients of some formats fail on them: an endpoint
	 * in a format that says {@code false} sends no heartbeat whatever its settings.
	 */
	default boolean commentHeartbeats() {
		return true;
	}

	/**
	 * The media types of the {@code Accept} headers it answers (a request accepting none of them gets 406);
	 * {@code text/event-stream} by default.
	 */
	default List<String> accepts() {
		return List.of("text/event-stream");
	}

	/** The frames of one stream; {@code streamId} names it (a run's id, else the connection's). */
	Frames open(String streamId);

	/**
	 * One stream's mapping, called one signal at a time.
	 */
	interface Frames {

		/** Events written first, before any item (they carry no id). */
		default List<SseEvent> start() {
			return List.of();
		}

		/**
		 * The event an item becomes.
		 * @param item as the publisher gave it: an {@link SseEvent}, text, or any other object
		 * @param id the run's id for it when it comes from a run, else {@code null}: the frame must carry it, so a
		 * client can resume after it
		 */
		SseEvent item(Object item, @Nullable String id);

		/** Events written after the last item when the stream completes (no id). */
		default List<SseEvent> end() {
			return List.of();
		}

		/**
		 * Events that end a failed stream, from {@code error}, the plain error event (named {@code error}, its data
		 * the message, never a stack trace; with the run's id for a run).
		 */
		default List<SseEvent> error(SseEvent error) {
			return List.of(error);
		}

	}

}

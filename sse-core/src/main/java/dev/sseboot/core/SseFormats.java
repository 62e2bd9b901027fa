package dev.sseboot.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link SseFormat}s.
 * <ul>
 * <li>{@link #SSE} ({@code sse}): each item an event as it is, errors as an event named {@code error}.</li>
 * <li>{@link #openAiChat(String)} ({@code openai-chat}): OpenAI's Chat Completions stream. A first chunk with the
 * assistant role, each text item a {@code chat.completion.chunk} whose {@code delta} holds it, a last chunk with
 * {@code finish_reason: "stop"}, then {@code data: [DONE]}; an error is OpenAI's error object
 * ({@code {"error":{"message":...,"type":"server_error",...}}}), which the official clients raise. No comment
 * heartbeats (strict OpenAI-compatible clients fail on {@code :} lines): tokens are the keep-alive. Answers
 * {@code Accept: text/event-stream} and {@code application/json} (the official client sends the latter).</li>
 * <li>{@link #aiSdkUi()} ({@code ai-sdk-ui}): the Vercel AI SDK UI message stream, version 1 (header
 * {@code x-vercel-ai-ui-message-stream: v1}). Parts {@code start} and {@code text-start}, a {@code text-delta} per
 * text item, then {@code text-end}, {@code finish} and {@code data: [DONE]}; an error is an {@code error} part with
 * its {@code errorText}, then {@code [DONE]}. Comment heartbeats are allowed (the AI SDK sends them itself).</li>
 * </ul>
 * In the two JSON formats a text item ({@link CharSequence}) is a text delta, an {@link SseEvent} is written as it
 * is, and any other item is its own chunk or part, its data serialised (to JSON by the starter): that is how an
 * application sends richer parts (tool calls, data parts) beside the text.
 */
public final class SseFormats {

	/** Plain SSE: what an endpoint speaks unless it names another format. */
	public static final SseFormat SSE = new SseFormat() {

		@Override
		public String name() {
			return "sse";
		}

		@Override
		public Frames open(String streamId) {
			return SseFormats::asEvent;
		}

	};

	private static final SseEvent DONE = SseEvent.of("[DONE]");

	private SseFormats() {
	}

	/** OpenAI's Chat Completions stream ({@code openai-chat}), its chunks naming {@code model}. */
	public static SseFormat openAiChat(String model) {
		Objects.requireNonNull(model, "model");
		return new SseFormat() {

			@Override
			public String name() {
				return "openai-chat";
			}

			@Override
			public boolean commentHeartbeats() {
				return false;
			}

			@Override
			public List<String> accepts() {
				return List.of("text/event-stream", "application/json");
			}

			@Override
			public Frames open(String streamId) {
				return new OpenAiChatFrames("chatcmpl-" + streamId, Instant.now().getEpochSecond(), model);
			}

		};
	}

	/** The Vercel AI SDK UI message stream v1 ({@code ai-sdk-ui}). */
	public static SseFormat aiSdkUi() {
		return new SseFormat() {

			@Override
			public String name() {
				return "ai-sdk-ui";
			}

			@Override
			public Map<String, String> headers() {
				return Map.of("x-vercel-ai-ui-message-stream", "v1");
			}

			@Override
			public Frames open(String streamId) {
				return new AiSdkUiFrames(streamId);
			}

		};
	}

	/** {@code item} as an event with {@code id}: an {@link SseEvent} as it is, anything else as its data. */
	static SseEvent asEvent(Object item, @Nullable String id) {
		SseEvent event = (item instanceof SseEvent given) ? given : SseEvent.of(item);
		return (id != null) ? event.withId(id) : event;
	}

	/**
	 * Frames of a JSON format: a text item is the format's delta (with the run's id, if any), anything else an event
	 * as it is.
	 */
	private abstract static class JsonFrames implements SseFormat.Frames {

		@Override
		public final SseEvent item(Object item, @Nullable String id) {
			if (!(item instanceof CharSequence text)) {
				return asEvent(item, id);
			}
			return SseEvent.builder().id(id).data(text(text.toString())).build();
		}

		/** The data of the event that carries {@code text}. */
		abstract String text(String text);

	}

	/** OpenAI's chunks: the id, the creation second and the model are the stream's. */
	private static final class OpenAiChatFrames extends JsonFrames {

		private final String prefix;

		OpenAiChatFrames(String id, long created, String model) {
			this.prefix = "{\"id\":" + Json.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
					+ ",\"model\":" + Json.quote(model) + ",\"choices\":[{\"index\":0,\"delta\":";
		}

		@Override
		public List<SseEvent> start() {
			return List.of(SseEvent.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null")));
		}

		@Override
		String text(String text) {
			return chunk("{\"content\":" + Json.quote(text) + "}", "null");
		}

		@Override
		public List<SseEvent> end() {
			return List.of(SseEvent.of(chunk("{}", "\"stop\"")), DONE);
		}

		@Override
		public List<SseEvent> error(SseEvent error) {
			String message = String.valueOf(error.data());
			return List.of(SseEvent.builder()
				.id(error.id())
				.data("{\"error\":{\"message\":" + Json.quote(message)
						+ ",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
				.build());
		}

		private String chunk(String delta, String finishReason) {
			return this.prefix + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}";
		}

	}

	/** The AI SDK's parts: one text part, its id the stream's. */
	private static final class AiSdkUiFrames extends JsonFrames {

		private final String textId;

		AiSdkUiFrames(String streamId) {
			this.textId = Json.quote("text-" + streamId);
		}

		@Override
		public List<SseEvent> start() {
			return List.of(SseEvent.of("{\"type\":\"start\"}"),
					SseEvent.of("{\"type\":\"text-start\",\"id\":" + this.textId + "}"));
		}

		@Override
		String text(String text) {
			return "{\"type\":\"text-delta\",\"id\":" + this.textId + ",\"delta\":" + Json.quote(text) + "}";
		}

		@Override
		public List<SseEvent> end() {
			return List.of(SseEvent.of("{\"type\":\"text-end\",\"id\":" + this.textId + "}"),
					SseEvent.of("{\"type\":\"finish\"}"), DONE);
		}

		@Override
		public List<SseEvent> error(SseEvent error) {
			return List.of(SseEvent.builder()
				.id(error.id())
				.data("{\"type\":\"error\",\"errorText\":" + Json.quote(String.valueOf(error.data())) + "}")
				.build(), DONE);
		}

	}

}

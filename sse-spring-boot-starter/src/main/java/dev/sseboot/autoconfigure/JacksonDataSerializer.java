package dev.sseboot.autoconfigure;

import dev.sseboot.core.SseDataSerializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Serialises non-text event data to JSON with the application's {@link JsonMapper}. */
final class JacksonDataSerializer implements SseDataSerializer {

	private final JsonMapper mapper;

	JacksonDataSerializer(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public String serialize(Object data) {
		try {
			return this.mapper.writeValueAsString(data);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("SSE event data of type " + data.getClass().getName()
					+ " could not be written as JSON: " + ex.getOriginalMessage()
					+ "; make it serialisable or send a String", ex);
		}
	}

}

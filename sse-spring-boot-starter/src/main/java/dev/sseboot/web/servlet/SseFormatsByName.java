package dev.sseboot.web.servlet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.sseboot.core.SseFormat;
import dev.sseboot.core.SseFormats;

/**
 * The formats endpoints may name: the built-ins ({@code sse}, {@code openai-chat}, {@code ai-sdk-ui}), then the
 * application's {@link SseFormat} beans, a bean replacing a built-in of the same name.
 */
final class SseFormatsByName {

	/** The model the built-in {@code openai-chat} format names in its chunks. */
	static final String OPENAI_MODEL = "sse-boot";

	private final Map<String, SseFormat> byName = new LinkedHashMap<>();

	SseFormatsByName(List<SseFormat> custom) {
		for (SseFormat builtIn : List.of(SseFormats.SSE, SseFormats.openAiChat(OPENAI_MODEL), SseFormats.aiSdkUi())) {
			this.byName.put(builtIn.name(), builtIn);
		}
		for (SseFormat format : custom) {
			this.byName.put(Objects.requireNonNull(format.name(), "SseFormat name"), format);
		}
	}

	/**
	 * The format of that name.
	 * @throws IllegalStateException naming the formats there are, when there is none of that name
	 */
	SseFormat get(String name, String handler) {
		SseFormat format = this.byName.get(name);
		if (format == null) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has format = \"" + name + "\", which is "
					+ "none of " + this.byName.keySet()
					+ ": use one of them, or declare an SseFormat bean of that name");
		}
		return format;
	}

}

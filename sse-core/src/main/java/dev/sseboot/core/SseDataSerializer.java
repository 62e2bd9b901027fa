package dev.sseboot.core;

/**
 * Turns an event's non-text {@code data} into text. Text ({@link CharSequence}) never reaches a serialiser: it is
 * written as-is. The Spring starter plugs in JSON.
 */
@FunctionalInterface
public interface SseDataSerializer {

	/**
	 * Text for plain values: numbers, booleans and characters by {@link String#valueOf(Object)}; anything else is
	 * refused with a message that says to configure a serialiser, rather than sending a {@code toString()}.
	 */
	SseDataSerializer TEXT = (data) -> {
		if (data instanceof Number || data instanceof Boolean || data instanceof Character) {
			return String.valueOf(data);
		}
		throw new IllegalArgumentException("SSE event data of type " + data.getClass().getName()
				+ " cannot be written as text: pass a String, or give the encoder an SseDataSerializer (the Spring "
				+ "starter serialises objects to JSON)");
	};

	/**
	 * Serialises {@code data}; the result may span lines (each becomes a {@code data:} line).
	 * @throws IllegalArgumentException when the value cannot be serialised
	 */
	String serialize(Object data);

}

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;

/**
 * Topic names: bounded, printable, one line; and the form a variable value takes inside one.
 * <p>
 * An endpoint's topic template ({@code room.{room}}) is filled with {@link #escape(String) escaped} path-variable
 * values, so that a value can never add structure to the name: {@code /rooms/x.admin} names {@code room.x%2Eadmin},
 * not the {@code room.{room}.admin} topic of room {@code x}. Publish with the same escaping when values may hold
 * other characters than letters, digits, {@code -}, {@code _} and {@code ~}:
 * {@code broadcaster.publish("room." + TopicNames.escape(room), event)}; for such plain values it changes nothing.
 */
public final class TopicNames {

	static final int MAX_LENGTH = 200;

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private TopicNames() {
	}

	/**
	 * {@code value} as a part of a topic name: ASCII letters, digits, {@code -}, {@code _} and {@code ~} stay as they
	 * are; every other character becomes {@code %XX} per byte of its UTF-8 form ({@code %} too), so the result holds
	 * no separator such as {@code .} or {@code :}.
	 */
	public static String escape(String value) {
		int i = 0;
		while (i < value.length() && isPlain(value.charAt(i))) {
			i++;
		}
		if (i == value.length()) {
			return value;
		}
		StringBuilder escaped = new StringBuilder(value.length() + 16).append(value, 0, i);
		for (byte b : value.substring(i).getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if (c < 0x80 && isPlain(c)) {
				escaped.append(c);
			}
			else {
				escaped.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
			}
		}
		return escaped.toString();
	}

	/** Whether {@code c} stays as it is in an escaped value: ASCII letters, digits, {@code -}, {@code _}, {@code ~}. */
	public static boolean isPlain(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
				|| c == '~';
	}

	/**
	 * Checks a topic name, as every {@link Broadcaster} does before it publishes or subscribes: not empty, at most
	 * 200 characters, no control characters, well-formed UTF-16. Returns it.
	 * @throws IllegalArgumentException naming the problem and the fix
	 */
	public static String require(String topic) {
		if (topic == null || topic.isEmpty()) {
			throw new IllegalArgumentException("SSE topic name must not be empty: name the topic, such as \"room.42\"");
		}
		if (topic.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("SSE topic name is " + topic.length() + " characters (got "
					+ WireText.quote(topic) + "): use at most " + MAX_LENGTH);
		}
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			if (c < 0x20 || c == 0x7F) {
				throw new IllegalArgumentException("SSE topic name must not contain control characters (got "
						+ WireText.quote(topic) + "): use printable text");
			}
		}
		return WireText.requireWellFormed("topic name", topic);
	}

}

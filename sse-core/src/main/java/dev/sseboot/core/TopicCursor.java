package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The ids of a stream on many topics. An event's id is {@code <topic> <cursor>}: the topic it belongs to, a space,
 * and the cursor, which holds the position of every topic of the stream (the id of the topic's last event sent, in
 * the broadcaster's own form) in the stream's topic order, separated by commas. An id-only block carries the cursor
 * alone. A cursor never holds a space, so the topic is everything before the last space.
 * <p>
 * To stay short, a position shares its first characters with the one before it: after the first, each starts with
 * one base-36 digit, how many leading characters it has in common with the previous position (at most 35), followed
 * by the rest. {@code %}, {@code ,}, {@code !} and space are written as {@code %25}, {@code %2C}, {@code %21} and
 * {@code %20}. A position that is unknown (not received yet, or too long for the id's 1,024 bytes) is {@code !}: a
 * client that resumes with it is sent {@value Broadcaster#RESET_EVENT} for that topic, never a silent gap.
 */
final class TopicCursor {

	/** The most bytes a {@code Last-Event-ID} may have, so the most an id may have. */
	static final int MAX_ID_BYTES = 1024;

	static final String UNKNOWN = "!";

	private static final int MAX_SHARED = 35;

	private TopicCursor() {
	}

	/** The cursor of {@code positions} (null: unknown), each shortened against the one before. */
	static String encode(@Nullable String[] positions) {
		StringBuilder out = new StringBuilder(16 * positions.length);
		String previous = null;
		for (int i = 0; i < positions.length; i++) {
			String position = positions[i];
			if (i > 0) {
				out.append(',');
			}
			if (position == null) {
				out.append(UNKNOWN);
			}
			else {
				int shared = 0;
				if (i > 0) {
					shared = (previous != null) ? shared(previous, position) : 0;
					out.append(Character.forDigit(shared, 36));
				}
				escape(position, shared, out);
			}
			previous = position;
		}
		return out.toString();
	}

	/**
	 * The positions a {@code Last-Event-ID} holds for a stream of {@code count} topics (null where unknown), or
	 * {@code null} when it is not such a cursor (another stream's, or not a cursor at all).
	 */
	static @Nullable String @Nullable [] decode(String lastEventId, int count) {
		String cursor = lastEventId.substring(lastEventId.lastIndexOf(' ') + 1);
		List<String> parts = split(cursor);
		if (parts.size() != count) {
			return null;
		}
		String[] positions = new String[count];
		String previous = null;
		for (int i = 0; i < count; i++) {
			String part = parts.get(i);
			if (part.equals(UNKNOWN)) {
				previous = null;
				continue;
			}
			int shared = 0;
			if (i > 0) {
				shared = (part.isEmpty()) ? -1 : Character.digit(part.charAt(0), 36);
				if (shared < 0 || (shared > 0 && (previous == null || previous.length() < shared))) {
					return null;
				}
				part = part.substring(1);
			}
			String rest = unescape(part);
			if (rest == null) {
				return null;
			}
			String position = (shared > 0 && previous != null) ? previous.substring(0, shared) + rest : rest;
			if (position.isEmpty()) {
				return null;
			}
			positions[i] = position;
			previous = position;
		}
		return positions;
	}

	/** An event's id on the stream: its topic, a space, the cursor. */
	static String id(String topic, String cursor) {
		return topic + ' ' + cursor;
	}

	/** UTF-8 bytes of {@code text}. */
	static int bytes(String text) {
		int bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			bytes += (c < 0x80) ? 1 : (c < 0x800) ? 2 : Character.isSurrogate(c) ? 2 : 3;
		}
		return bytes;
	}

	/**
	 * Positions that fit an id of {@code topicBytes} topic bytes: where the id would pass {@link #MAX_ID_BYTES}, the
	 * longest positions become unknown (their topics resume with a reset), the others are kept. Returns
	 * {@code positions} itself when they fit.
	 */
	static @Nullable String[] fitting(@Nullable String[] positions, int topicBytes) {
		@Nullable String[] fitted = positions;
		while (topicBytes + 1 + bytes(encode(fitted)) > MAX_ID_BYTES) {
			int longest = -1;
			for (int i = 0; i < fitted.length; i++) {
				if (fitted[i] != null && (longest < 0 || fitted[i].length() > fitted[longest].length())) {
					longest = i;
				}
			}
			if (longest < 0) {
				break;
			}
			if (fitted == positions) {
				fitted = positions.clone();
			}
			fitted[longest] = null;
		}
		return fitted;
	}

	private static int shared(String previous, String position) {
		int max = Math.min(MAX_SHARED, Math.min(previous.length(), position.length()));
		int shared = 0;
		while (shared < max && previous.charAt(shared) == position.charAt(shared)) {
			shared++;
		}
		return shared;
	}

	private static void escape(String position, int from, StringBuilder out) {
		for (int i = from; i < position.length(); i++) {
			char c = position.charAt(i);
			switch (c) {
				case '%' -> out.append("%25");
				case ',' -> out.append("%2C");
				case '!' -> out.append("%21");
				case ' ' -> out.append("%20");
				default -> out.append(c);
			}
		}
	}

	private static @Nullable String unescape(String part) {
		if (part.indexOf('%') < 0) {
			return part;
		}
		StringBuilder out = new StringBuilder(part.length());
		for (int i = 0; i < part.length(); i++) {
			char c = part.charAt(i);
			if (c != '%') {
				out.append(c);
				continue;
			}
			if (i + 3 > part.length()) {
				return null;
			}
			String hex = part.substring(i + 1, i + 3);
			switch (hex) {
				case "25" -> out.append('%');
				case "2C" -> out.append(',');
				case "21" -> out.append('!');
				case "20" -> out.append(' ');
				default -> {
					return null;
				}
			}
			i += 2;
		}
		return out.toString();
	}

	private static List<String> split(String cursor) {
		List<String> parts = new ArrayList<>();
		int from = 0;
		for (int i = 0; i <= cursor.length(); i++) {
			if (i == cursor.length() || cursor.charAt(i) == ',') {
				parts.add(cursor.substring(from, i));
				from = i + 1;
			}
		}
		return parts;
	}

	/** The bytes of {@code text} in UTF-8. */
	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}

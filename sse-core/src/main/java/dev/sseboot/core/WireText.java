package dev.sseboot.core;

/**
 * Checks that text can be written in an SSE field, with error messages that name the field and the fix.
 */
final class WireText {

	private static final int QUOTE_LIMIT = 40;

	private WireText() {
	}

	/** Rejects CR and LF (and unpaired surrogates): the value is written on one line. */
	static String requireOneLine(String field, String value, String why) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\n' || c == '\r') {
				throw new IllegalArgumentException(
						"SSE " + field + " must not contain a line break (got " + quote(value) + "): " + why);
			}
		}
		return requireWellFormed(field, value);
	}

	/** Rejects unpaired UTF-16 surrogates, which Java would silently write as '?'. */
	static String requireWellFormed(String field, String value) {
		int bad = firstUnpairedSurrogate(value);
		if (bad >= 0) {
			throw new IllegalArgumentException("SSE " + field + " contains an unpaired UTF-16 surrogate at index "
					+ bad + " (got " + quote(value)
					+ "): it cannot be encoded as UTF-8; fix the text where it is made");
		}
		return value;
	}

	static int firstUnpairedSurrogate(CharSequence s) {
		int n = s.length();
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (Character.isHighSurrogate(c)) {
				if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
					i++;
				}
				else {
					return i;
				}
			}
			else if (Character.isLowSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

	/** The value in quotes with control characters made visible, cut to a readable length. */
	static String quote(CharSequence value) {
		StringBuilder out = new StringBuilder("\"");
		int n = Math.min(value.length(), QUOTE_LIMIT);
		for (int i = 0; i < n; i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\0' -> out.append("\\0");
				case '"' -> out.append("\\\"");
				default -> {
					if (c < 0x20 || Character.isSurrogate(c)) {
						out.append(String.format("\\u%04X", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
		if (value.length() > QUOTE_LIMIT) {
			out.append("... (").append(value.length()).append(" chars)");
		}
		return out.toString();
	}

}

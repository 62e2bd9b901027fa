package dev.sseboot.core;

/** Checks topic names: bounded, printable, one line. */
final class TopicNames {

	static final int MAX_LENGTH = 200;

	private TopicNames() {
	}

	static String require(String topic) {
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

package dev.sseboot.web.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sseboot.core.TopicNames;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint's topic template, such as {@code room.{room}}: literal text, and {@code {name}} placeholders filled
 * with {@link TopicNames#escape(String) escaped} path-variable values. Since an escaped value holds no separator
 * (any character other than a letter, digit, {@code -}, {@code _} or {@code ~}), and a placeholder must stand
 * between separators, a template's segments (the runs between separators) are each a literal or one value: a
 * client cannot move text across a separator, and {@link #canNameTheSameTopicAs(TopicTemplate)} can tell at start-up
 * whether two templates could still name one topic.
 */
final class TopicTemplate {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

	private final String text;

	/** Each segment: a literal, or {@code null} for a placeholder. */
	private final List<@Nullable String> segments;

	private final String separators;

	private TopicTemplate(String text, List<@Nullable String> segments, String separators) {
		this.text = text;
		this.segments = segments;
		this.separators = separators;
	}

	/**
	 * Parses {@code template} of the endpoint {@code handler} mapped to {@code path}.
	 * @throws IllegalStateException naming the problem and the fix
	 */
	static TopicTemplate parse(String handler, String template, String path) {
		List<@Nullable String> segments = new ArrayList<>();
		StringBuilder separators = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		String placeholder = null;
		Matcher matcher = PLACEHOLDER.matcher(template);
		int at = 0;
		while (at < template.length()) {
			char c = template.charAt(at);
			if (c == '{' && matcher.find(at) && matcher.start() == at) {
				String name = matcher.group(1);
				if (!literal.isEmpty() || placeholder != null) {
					throw notBetweenSeparators(handler, template, name);
				}
				requirePathVariable(handler, template, path, name);
				placeholder = name;
				at = matcher.end();
			}
			else if (c == '{' || c == '}' || c == '%') {
				throw new IllegalStateException("@SseEndpoint " + handler + " has topic \"" + template + "\": '" + c
						+ "' is kept for placeholders and escaped values; use another separator");
			}
			else if (TopicNames.isPlain(c)) {
				if (placeholder != null) {
					throw notBetweenSeparators(handler, template, placeholder);
				}
				literal.append(c);
				at++;
			}
			else {
				segments.add((placeholder != null) ? null : literal.toString());
				separators.append(c);
				literal.setLength(0);
				placeholder = null;
				at++;
			}
		}
		segments.add((placeholder != null) ? null : literal.toString());
		return new TopicTemplate(template, Collections.unmodifiableList(segments), separators.toString());
	}

	/** The topic for these path variables, each value escaped. */
	String fill(Map<String, String> variables) {
		Matcher matcher = PLACEHOLDER.matcher(this.text);
		StringBuilder topic = new StringBuilder();
		while (matcher.find()) {
			String value = variables.get(matcher.group(1));
			if (value == null) {
				throw new IllegalStateException("SSE topic \"" + this.text + "\" names {" + matcher.group(1)
						+ "}, which is not a path variable of this request");
			}
			matcher.appendReplacement(topic, Matcher.quoteReplacement(TopicNames.escape(value)));
		}
		matcher.appendTail(topic);
		return topic.toString();
	}

	/**
	 * Whether some values could make this template and {@code other} name one topic although they differ in more
	 * than the names of their placeholders: segment by segment, each pair is two equal literals, or a value beside a
	 * literal it could equal, or two values.
	 */
	boolean canNameTheSameTopicAs(TopicTemplate other) {
		if (sameShape(other) || !this.separators.equals(other.separators)) {
			return false;
		}
		for (int i = 0; i < this.segments.size(); i++) {
			String mine = this.segments.get(i);
			String theirs = other.segments.get(i);
			if (mine != null && theirs != null && !mine.equals(theirs)) {
				return false;
			}
			if ((mine == null && "".equals(theirs)) || (theirs == null && "".equals(mine))) {
				return false;
			}
		}
		return true;
	}

	/** The same literals and separators, whatever the placeholders are called: one family of topics. */
	boolean sameShape(TopicTemplate other) {
		return this.segments.equals(other.segments) && this.separators.equals(other.separators);
	}

	@Override
	public String toString() {
		return this.text;
	}

	private static void requirePathVariable(String handler, String template, String path, String name) {
		if (!Pattern.compile("\\{\\*?" + Pattern.quote(name) + "(:[^}]*)?}").matcher(path).find()) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has topic \"" + template + "\" with {" + name
					+ "}, but its path \"" + path + "\" has no such variable: use one of the path's {names}");
		}
	}

	private static IllegalStateException notBetweenSeparators(String handler, String template, String name) {
		return new IllegalStateException("@SseEndpoint " + handler + " has topic \"" + template + "\" with {" + name
				+ "} next to other text or another {name}: put a separator (a character other than a letter, digit, "
				+ "-, _ or ~, such as '.') on both sides, so a value cannot run into the text around it");
	}

}

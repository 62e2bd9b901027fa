package dev.sseboot.redis;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A Redis stream entry id, {@code <ms>-<seq>}, both unsigned 64-bit: the SSE event id in the Redis mode. Parsing
 * client input never throws; an id that is malformed or out of range is simply not a stream id.
 *
 * @param ms the milliseconds part
 * @param seq the sequence part
 */
record StreamId(long ms, long seq) implements Comparable<StreamId> {

	/** The id before any entry: what an empty stream's position is. */
	static final StreamId ZERO = new StreamId(0, 0);

	private static final Pattern SHAPE = Pattern.compile("(\\d{1,20})-(\\d{1,20})");

	/** {@code text} as a stream id, or {@code null} when it is none (the wrong shape, or a part over 2^64-1). */
	static @Nullable StreamId parse(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher matcher = SHAPE.matcher(text);
		if (!matcher.matches()) {
			return null;
		}
		try {
			return new StreamId(Long.parseUnsignedLong(matcher.group(1)), Long.parseUnsignedLong(matcher.group(2)));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** {@code text}, which Redis gave, as a stream id. */
	static StreamId of(String text) {
		StreamId id = parse(text);
		if (id == null) {
			throw new IllegalArgumentException("not a Redis stream id: " + text);
		}
		return id;
	}

	@Override
	public int compareTo(StreamId other) {
		int byTime = Long.compareUnsigned(this.ms, other.ms);
		return (byTime != 0) ? byTime : Long.compareUnsigned(this.seq, other.seq);
	}

	boolean isAfter(StreamId other) {
		return compareTo(other) > 0;
	}

	@Override
	public String toString() {
		return Long.toUnsignedString(this.ms) + "-" + Long.toUnsignedString(this.seq);
	}

}

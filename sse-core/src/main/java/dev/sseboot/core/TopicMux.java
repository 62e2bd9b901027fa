package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A stream on many topics with one cursor (see {@link TopicCursor}): each topic is subscribed through a
 * {@link TopicLeg}, which resumes after that topic's position in the client's {@code Last-Event-ID}; every event the
 * topics deliver goes out with the id {@code <topic> <cursor>}, the cursor holding every topic's position once this
 * event is sent. Since events go out one at a time under this object's lock, each id covers every event sent before
 * it, so resuming with the last id a client saw sends each topic's later events: nothing missed, nothing twice.
 * <p>
 * While the topics are being subscribed, what they deliver is held; then the held events go out merged in the order
 * of their ids (each topic's own order kept), which on one instance is the order they were published in, followed by
 * an id-only block with the whole cursor, so a client cut before any event still resumes every topic. After that,
 * events go out in the order they arrive.
 */
final class TopicMux {

	/** Deliveries held while the topics are subscribed; past it the stream is closed as a slow consumer. */
	static final int MAX_HELD = 10_000;

	private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

	private static final EncodedEvents[] NOTHING = new EncodedEvents[0];

	private final DefaultEventChannel channel;

	private final String[] topics;

	private final int[] topicBytes;

	/** Guarded by this: each topic's last position sent or learnt; null while unknown. */
	private final @Nullable String[] positions;

	private final TopicLeg[] legs;

	/** Guarded by this: per topic, what arrived while the topics were subscribed; null once they all are. */
	private ArrayDeque<EncodedEvents> @Nullable [] held;

	private int heldDeliveries;

	@SuppressWarnings("unchecked")
	private TopicMux(DefaultEventChannel channel, String[] topics, @Nullable String[] positions,
			@Nullable String[] resumeFrom) {
		this.channel = channel;
		this.topics = topics;
		this.positions = positions;
		this.topicBytes = new int[topics.length];
		this.legs = new TopicLeg[topics.length];
		this.held = new ArrayDeque[topics.length];
		for (int i = 0; i < topics.length; i++) {
			this.topicBytes[i] = TopicCursor.bytes(topics[i]);
			this.legs[i] = new TopicLeg(this, i, resumeFrom[i]);
			this.held[i] = new ArrayDeque<>();
		}
	}

	/**
	 * Subscribes {@code channel} to every topic of {@code topics} through {@code broadcaster}, resuming each after its
	 * position in {@code lastEventId} (a stream's id, as this class writes it). An id that is not one of this
	 * stream's resumes every topic with {@value Broadcaster#RESET_EVENT}.
	 * @throws IllegalArgumentException when a topic name is invalid or there is none
	 */
	static void subscribe(Broadcaster broadcaster, Collection<String> topics, EventChannel channel,
			@Nullable String lastEventId) {
		String[] sorted = topics.stream().map(TopicNames::require).distinct().sorted().toArray(String[]::new);
		if (sorted.length == 0) {
			throw new IllegalArgumentException("An SSE stream on many topics needs at least one topic: name one");
		}
		if (!(channel instanceof DefaultEventChannel engine)) {
			throw new IllegalArgumentException("A topic's part of a stream cannot itself subscribe to topics");
		}
		@Nullable String[] positions = new String[sorted.length];
		@Nullable String[] resumeFrom = new String[sorted.length];
		if (lastEventId != null) {
			@Nullable String @Nullable [] decoded = TopicCursor.decode(lastEventId, sorted.length);
			for (int i = 0; i < sorted.length; i++) {
				positions[i] = (decoded != null) ? decoded[i] : null;
				// an unknown position resumes with a reset: the client missed something, but what is unknown
				resumeFrom[i] = (positions[i] != null) ? positions[i] : TopicCursor.UNKNOWN;
			}
		}
		TopicMux mux = new TopicMux(engine, sorted, positions, resumeFrom);
		try {
			for (int i = 0; i < sorted.length; i++) {
				broadcaster.subscribe(sorted[i], mux.legs[i], resumeFrom[i]);
			}
		}
		catch (RuntimeException ex) {
			for (TopicLeg leg : mux.legs) {
				leg.abandon();
			}
			throw ex;
		}
		mux.release();
	}

	DefaultEventChannel channel() {
		return this.channel;
	}

	/** What topic {@code index} delivers; {@code false} once the stream is closed or full. */
	synchronized boolean accept(int index, EncodedEvents[] items) {
		if (!this.channel.isOpen()) {
			return false;
		}
		ArrayDeque<EncodedEvents> @Nullable [] holding = this.held;
		if (holding != null) {
			for (EncodedEvents item : items) {
				holding[index].add(item);
			}
			if (++this.heldDeliveries > MAX_HELD) {
				this.channel.close(CloseReason.SLOW_CONSUMER);
				return false;
			}
			return true;
		}
		List<EncodedEvents> out = new ArrayList<>(items.length + 1);
		boolean moved = false;
		for (EncodedEvents item : items) {
			moved = rewrite(index, item, out);
		}
		if (moved) {
			out.add(idOnly());
		}
		if (out.size() == 1) {
			return this.channel.sendEncoded(out.get(0), OverflowPolicy.CLOSE);
		}
		return out.isEmpty() || this.channel.sendEncoded(out.toArray(NOTHING), OverflowPolicy.CLOSE);
	}

	/**
	 * Every topic is subscribed: sends what was held, merged in the order of the ids (control blocks first), then the
	 * whole cursor in an id-only block.
	 */
	private synchronized void release() {
		ArrayDeque<EncodedEvents> @Nullable [] holding = this.held;
		this.held = null;
		if (holding == null || !this.channel.isOpen()) {
			return;
		}
		List<EncodedEvents> out = new ArrayList<>();
		while (true) {
			int next = -1;
			String nextId = null;
			for (int i = 0; i < holding.length; i++) {
				EncodedEvents head;
				while ((head = holding[i].peek()) != null && head.events() == 0) {
					rewrite(i, holding[i].poll(), out);
				}
				if (head != null) {
					String id = idOf(head.bytes(), 0, head.bytes().length);
					if (next < 0 || (id != null && nextId != null && compare(id, nextId) < 0)) {
						next = i;
						nextId = id;
					}
				}
			}
			if (next < 0) {
				break;
			}
			rewrite(next, holding[next].poll(), out);
		}
		out.add(idOnly());
		this.channel.sendEncoded(out.toArray(NOTHING), OverflowPolicy.CLOSE);
	}

	/**
	 * Takes in {@code item} from topic {@code index}: its position, and, for events, the event with the stream's id
	 * added to {@code out}. Returns whether a position moved with no event to carry it (a control block).
	 */
	private boolean rewrite(int index, EncodedEvents item, List<EncodedEvents> out) {
		byte[] bytes = item.bytes();
		boolean control = item.events() == 0;
		int start = 0;
		while (start < bytes.length) {
			int end = endOfEvent(bytes, start);
			int[] idLine = new int[2];
			String position = findId(bytes, start, end, idLine);
			if (position != null) {
				this.positions[index] = position;
			}
			if (!control) {
				out.add(EncodedEvents.of(withOwnId(bytes, start, end, idLine, index)));
			}
			start = end;
		}
		return control;
	}

	/** The event in {@code bytes[start, end)} without its id line, with the stream's id before its blank line. */
	private byte[] withOwnId(byte[] bytes, int start, int end, int[] idLine, int index) {
		byte[] id = TopicCursor.utf8(TopicCursor.id(this.topics[index], cursor(this.topicBytes[index])));
		int kept = (end - start) - (idLine[1] - idLine[0]);
		byte[] rewritten = new byte[kept + ID.length + id.length + 1];
		int at = 0;
		System.arraycopy(bytes, start, rewritten, at, idLine[0] - start);
		at += idLine[0] - start;
		// everything after the id line but the final blank line, then the stream's id line, then the blank line
		int tail = (end - 1) - idLine[1];
		System.arraycopy(bytes, idLine[1], rewritten, at, tail);
		at += tail;
		System.arraycopy(ID, 0, rewritten, at, ID.length);
		at += ID.length;
		System.arraycopy(id, 0, rewritten, at, id.length);
		at += id.length;
		rewritten[at++] = '\n';
		rewritten[at] = '\n';
		return rewritten;
	}

	/** The cursor of every position, fitted to an id with {@code topicBytes} bytes of topic (-1: no topic). */
	private String cursor(int topicBytes) {
		String cursor = TopicCursor.encode(this.positions);
		// ids this long come only from long ids an application set itself: rare, so fitting is not tried first
		if (topicBytes + 1 + cursor.length() * 3 > TopicCursor.MAX_ID_BYTES
				&& topicBytes + 1 + TopicCursor.bytes(cursor) > TopicCursor.MAX_ID_BYTES) {
			cursor = TopicCursor.encode(TopicCursor.fitting(this.positions, topicBytes));
		}
		return cursor;
	}

	/** An id-only block with the whole cursor. */
	private EncodedEvents idOnly() {
		byte[] id = TopicCursor.utf8(cursor(-1));
		byte[] block = new byte[ID.length + id.length + 2];
		System.arraycopy(ID, 0, block, 0, ID.length);
		System.arraycopy(id, 0, block, ID.length, id.length);
		block[block.length - 2] = '\n';
		block[block.length - 1] = '\n';
		return new EncodedEvents(block, 0);
	}

	/** Where the event starting at {@code start} ends: after its blank line (the end of the bytes at the latest). */
	private static int endOfEvent(byte[] bytes, int start) {
		for (int i = start; i + 1 < bytes.length; i++) {
			if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
				return i + 2;
			}
		}
		return bytes.length;
	}

	/** The id of the first event in {@code bytes[start, end)}, or null. */
	static @Nullable String idOf(byte[] bytes, int start, int end) {
		return findId(bytes, start, end, new int[2]);
	}

	/**
	 * The value of the event's {@code id: } line and, in {@code line}, where the line starts and ends (after its
	 * newline); {@code line} empty at the blank line when there is none. sse-boot's encoders write the id before any
	 * data line, so the search stops at the first one.
	 */
	private static @Nullable String findId(byte[] bytes, int start, int end, int[] line) {
		int at = start;
		while (at < end && bytes[at] != '\n') {
			int lineEnd = at;
			while (lineEnd < end && bytes[lineEnd] != '\n') {
				lineEnd++;
			}
			if (startsWith(bytes, at, lineEnd, ID)) {
				line[0] = at;
				line[1] = Math.min(lineEnd + 1, end);
				return new String(bytes, at + ID.length, lineEnd - at - ID.length, StandardCharsets.UTF_8);
			}
			if (startsWith(bytes, at, lineEnd, DATA)) {
				break;
			}
			at = lineEnd + 1;
		}
		line[0] = end - 1;
		line[1] = end - 1;
		return null;
	}

	private static boolean startsWith(byte[] bytes, int from, int to, byte[] prefix) {
		if (to - from < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (bytes[from + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The order of two positions of different topics, as far as their form tells: ids that end in
	 * {@code -<number>} with the same (or numeric) part before compare by those numbers, which puts the ids one
	 * in-memory broadcaster assigns in publish order, and Redis stream ids in time order; anything else is a tie.
	 */
	static int compare(String a, String b) {
		int dashA = a.lastIndexOf('-');
		int dashB = b.lastIndexOf('-');
		if (dashA < 0 || dashB < 0) {
			return 0;
		}
		long leftA = number(a, 0, dashA);
		long leftB = number(b, 0, dashB);
		if (leftA >= 0 && leftB >= 0) {
			if (leftA != leftB) {
				return Long.compare(leftA, leftB);
			}
		}
		else if (!a.regionMatches(0, b, 0, Math.max(dashA, dashB)) || dashA != dashB) {
			return 0;
		}
		long rightA = number(a, dashA + 1, a.length());
		long rightB = number(b, dashB + 1, b.length());
		return (rightA >= 0 && rightB >= 0) ? Long.compare(rightA, rightB) : 0;
	}

	private static long number(String text, int from, int to) {
		if (from >= to || to - from > 18) {
			return -1;
		}
		long value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}

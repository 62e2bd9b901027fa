package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@link SseEvent} into the exact UTF-8 bytes of the event stream format (HTML Standard, server-sent
 * events): the only place wire text is made.
 * <p>
 * Field order is comment, {@code event}, {@code id}, {@code retry}, then one {@code data: } line per line of the
 * data (split on CRLF, CR and LF, empty pieces kept), then the blank line that ends every event. Lines end in LF.
 * Thread-safe and allocation-lean: the output array is sized exactly in one pass and filled in a second.
 */
public final class SseEncoder {

	private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] COMMENT = ": ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] RETRY = "retry: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	private final SseDataSerializer serializer;

	/** An encoder that writes text data as-is and refuses other objects ({@link SseDataSerializer#TEXT}). */
	public SseEncoder() {
		this(SseDataSerializer.TEXT);
	}

	/** An encoder that hands non-text data to {@code serializer}. */
	public SseEncoder(SseDataSerializer serializer) {
		this.serializer = serializer;
	}

	/** The heartbeat: an empty comment and a blank line, ignored by every client. */
	public static byte[] heartbeat() {
		return HEARTBEAT.clone();
	}

	/**
	 * Encodes one event.
	 * @throws IllegalArgumentException when the data serialiser fails or returns text that cannot be encoded
	 */
	public byte[] encode(SseEvent event) {
		String data = dataText(event.data());
		String retry = (event.retry() != null) ? Long.toString(event.retry().toMillis()) : null;
		// the JDK's UTF-8 encoder is intrinsic and fast; CR and LF bytes never occur inside a multi-byte sequence,
		// so the data can be split into lines after encoding (validation has refused unpaired surrogates)
		byte[] dataBytes = (data != null) ? data.getBytes(StandardCharsets.UTF_8) : null;
		int size = 1;
		size += commentSize(event.comment());
		size += fieldSize(EVENT, event.name());
		size += fieldSize(ID, event.id());
		size += fieldSize(RETRY, retry);
		if (dataBytes != null) {
			size += dataSize(dataBytes);
		}
		Writer out = new Writer(new byte[size]);
		out.comment(event.comment());
		out.field(EVENT, event.name());
		out.field(ID, event.id());
		out.field(RETRY, retry);
		if (dataBytes != null) {
			out.data(dataBytes);
		}
		out.put('\n');
		return out.bytes;
	}

	/**
	 * Puts an {@code id:} line in front of an event encoded without one: for ids known only after encoding, such as
	 * Redis stream ids. The fields of one event may come in any order, so the result is the event with that id.
	 * @throws IllegalArgumentException when the id cannot be written (see {@link SseEvent.Builder#id(String)})
	 */
	public byte[] withId(String id, byte[] encodedWithoutId) {
		SseEvent.builder().id(id).build();
		byte[] line = new byte[ID.length + utf8Length(id, 0, id.length()) + 1];
		Writer out = new Writer(line);
		out.field(ID, id);
		byte[] result = new byte[line.length + encodedWithoutId.length];
		System.arraycopy(line, 0, result, 0, line.length);
		System.arraycopy(encodedWithoutId, 0, result, line.length, encodedWithoutId.length);
		return result;
	}

	private @Nullable String dataText(@Nullable Object data) {
		if (data == null) {
			return null;
		}
		if (data instanceof CharSequence text) {
			return text.toString();
		}
		String text = this.serializer.serialize(data);
		if (text == null) {
			throw new IllegalArgumentException("SSE data serialiser returned null for " + data.getClass().getName()
					+ ": it must return text (\"\" for empty data)");
		}
		return WireText.requireWellFormed("event data (as serialised)", text);
	}

	private static int fieldSize(byte[] prefix, @Nullable String value) {
		return (value != null) ? prefix.length + utf8Length(value, 0, value.length()) + 1 : 0;
	}

	private static int commentSize(@Nullable String comment) {
		return (comment != null && comment.isEmpty()) ? 2 : fieldSize(COMMENT, comment);
	}

	/** One "data: " prefix and one LF per line; CRLF counts as one terminator, lone CR and LF as one each. */
	private static int dataSize(byte[] data) {
		int size = data.length + DATA.length + 1;
		int n = data.length;
		for (int i = 0; i < n; i++) {
			byte b = data[i];
			if (b == '\r') {
				if (i + 1 < n && data[i + 1] == '\n') {
					i++;
					size -= 2;
				}
				else {
					size -= 1;
				}
				size += DATA.length + 1;
			}
			else if (b == '\n') {
				size += DATA.length;
			}
		}
		return size;
	}

	private static int utf8Length(String s, int from, int to) {
		int length = to - from;
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					length += 1;
				}
				else if (Character.isHighSurrogate(c)) {
					// a pair is 4 bytes for its 2 chars; validation has already refused unpaired surrogates
					length += 2;
					i++;
				}
				else {
					length += 2;
				}
			}
		}
		return length;
	}

	/** Fills an exactly sized array. */
	private static final class Writer {

		final byte[] bytes;

		int pos;

		Writer(byte[] bytes) {
			this.bytes = bytes;
		}

		void put(char c) {
			this.bytes[this.pos++] = (byte) c;
		}

		void put(byte[] prefix) {
			System.arraycopy(prefix, 0, this.bytes, this.pos, prefix.length);
			this.pos += prefix.length;
		}

		void field(byte[] prefix, @Nullable String value) {
			if (value != null) {
				put(prefix);
				utf8(value, 0, value.length());
				put('\n');
			}
		}

		/** {@code ": text"}, or a bare {@code ":"} for an empty comment. */
		void comment(@Nullable String comment) {
			if (comment != null && comment.isEmpty()) {
				put(':');
				put('\n');
			}
			else {
				field(COMMENT, comment);
			}
		}

		void data(byte[] data) {
			put(DATA);
			int n = data.length;
			int start = 0;
			for (int i = 0; i < n; i++) {
				byte b = data[i];
				if (b == '\r' || b == '\n') {
					copy(data, start, i);
					put('\n');
					put(DATA);
					if (b == '\r' && i + 1 < n && data[i + 1] == '\n') {
						i++;
					}
					start = i + 1;
				}
			}
			copy(data, start, n);
			put('\n');
		}

		void copy(byte[] source, int from, int to) {
			System.arraycopy(source, from, this.bytes, this.pos, to - from);
			this.pos += to - from;
		}

		void utf8(String s, int from, int to) {
			byte[] b = this.bytes;
			int p = this.pos;
			for (int i = from; i < to; i++) {
				char c = s.charAt(i);
				if (c < 0x80) {
					b[p++] = (byte) c;
				}
				else if (c < 0x800) {
					b[p++] = (byte) (0xC0 | (c >> 6));
					b[p++] = (byte) (0x80 | (c & 0x3F));
				}
				else if (Character.isHighSurrogate(c)) {
					int cp = Character.toCodePoint(c, s.charAt(++i));
					b[p++] = (byte) (0xF0 | (cp >> 18));
					b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
					b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
					b[p++] = (byte) (0x80 | (cp & 0x3F));
				}
				else {
					b[p++] = (byte) (0xE0 | (c >> 12));
					b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
					b[p++] = (byte) (0x80 | (c & 0x3F));
				}
			}
			this.pos = p;
		}

	}

}

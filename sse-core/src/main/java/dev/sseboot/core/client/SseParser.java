package dev.sseboot.core.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental SSE parser that follows the WHATWG HTML standard, "Interpreting an event stream": bytes in, in
 * chunks of any size, events out.
 * <p>
 * It strips one leading UTF-8 BOM, splits lines on CRLF, CR and LF (also when a CRLF or a multi-byte character is
 * split across chunks), strips exactly one space after the colon, ignores an {@code id} holding U+0000, takes
 * {@code retry} only when it is all ASCII digits, keeps the last event id across events, fires no event for a block
 * without data, and drops an unterminated last block. Malformed UTF-8 decodes to U+FFFD.
 * <p>
 * Not thread-safe: one parser reads one stream.
 */
public final class SseParser {

	/** What a parser reports. Only {@link #onEvent(SseMessage)} is required. */
	@FunctionalInterface
	public interface Handler {

		/** A dispatched event. */
		void onEvent(SseMessage message);

		/** A valid {@code retry:} field, in milliseconds. */
		default void onRetry(long millis) {
		}

		/** A comment line, without its colon and one leading space. */
		default void onComment(String comment) {
		}

	}

	/** The default bound on a line and on an event's buffered data: 64 MiB. */
	public static final int DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024;

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private final Handler handler;

	private final int maxEventSize;

	private byte[] line = new byte[256];

	private int lineLength;

	private boolean skipLf;

	private int bomMatched;

	private boolean bomChecked;

	private final StringBuilder data = new StringBuilder();

	private boolean hasData;

	private String eventType = "";

	/** The id of the last event dispatched: what a reconnecting client sends. */
	private String lastEventId;

	/** The id fields seen so far, whether or not their event was dispatched (WHATWG's "last event ID buffer"). */
	private String idBuffer;

	/** A parser with no last event id and the default size bound. */
	public SseParser(Handler handler) {
		this(handler, "", DEFAULT_MAX_EVENT_SIZE);
	}

	/**
	 * A parser for a stream that continues an earlier one: it starts with {@code lastEventId} (as an
	 * {@code EventSource} keeps its id across reconnects) and refuses lines or events over {@code maxEventSize}
	 * characters with an {@link SseParseException}.
	 */
	public SseParser(Handler handler, String lastEventId, int maxEventSize) {
		this.handler = handler;
		this.lastEventId = lastEventId;
		this.idBuffer = lastEventId;
		this.maxEventSize = maxEventSize;
	}

	/**
	 * The id of the last event dispatched (an id-only block counts): what a reconnecting client sends as
	 * {@code Last-Event-ID}. An id whose event was cut before its blank line does not count, since its event was
	 * never received: resuming after it would skip that event.
	 */
	public String lastEventId() {
		return this.lastEventId;
	}

	/** Feeds all remaining bytes of {@code buffer}. */
	public void feed(ByteBuffer buffer) {
		if (buffer.hasArray()) {
			feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
			buffer.position(buffer.limit());
		}
		else {
			byte[] copy = new byte[buffer.remaining()];
			buffer.get(copy);
			feed(copy, 0, copy.length);
		}
	}

	/** Feeds {@code bytes} whole. */
	public void feed(byte[] bytes) {
		feed(bytes, 0, bytes.length);
	}

	/** Feeds {@code length} bytes of {@code bytes} from {@code offset}. */
	public void feed(byte[] bytes, int offset, int length) {
		int pos = offset;
		int end = offset + length;
		if (!this.bomChecked) {
			pos = skipBom(bytes, pos, end);
			if (!this.bomChecked) {
				return;
			}
		}
		while (pos < end) {
			if (this.skipLf) {
				this.skipLf = false;
				if (bytes[pos] == LF) {
					pos++;
					continue;
				}
			}
			int stop = pos;
			while (stop < end && bytes[stop] != LF && bytes[stop] != CR) {
				stop++;
			}
			append(bytes, pos, stop - pos);
			if (stop == end) {
				return;
			}
			this.skipLf = bytes[stop] == CR;
			processLine();
			pos = stop + 1;
		}
	}

	/** Matches a BOM that may arrive split across chunks; a partial match that fails is fed as ordinary bytes. */
	private int skipBom(byte[] bytes, int pos, int end) {
		while (pos < end && this.bomMatched < BOM.length) {
			if (bytes[pos] != BOM[this.bomMatched]) {
				this.bomChecked = true;
				int matched = this.bomMatched;
				this.bomMatched = 0;
				feed(BOM, 0, matched);
				return pos;
			}
			this.bomMatched++;
			pos++;
		}
		if (this.bomMatched == BOM.length) {
			this.bomChecked = true;
		}
		return pos;
	}

	private void append(byte[] bytes, int from, int count) {
		if (count == 0) {
			return;
		}
		int needed = this.lineLength + count;
		if (needed > this.maxEventSize || needed < 0) {
			throw new SseParseException("SSE line longer than " + this.maxEventSize + " bytes: raise the limit");
		}
		if (needed > this.line.length) {
			this.line = Arrays.copyOf(this.line, Math.max(needed, Math.min(this.line.length * 2, this.maxEventSize)));
		}
		System.arraycopy(bytes, from, this.line, this.lineLength, count);
		this.lineLength = needed;
	}

	private void processLine() {
		int length = this.lineLength;
		this.lineLength = 0;
		if (length == 0) {
			dispatch();
			return;
		}
		try {
			parseLine(length);
		}
		finally {
			if (this.line.length > 64 * 1024) {
				this.line = new byte[256];
			}
		}
	}

	private void parseLine(int length) {
		byte[] b = this.line;
		int colon = -1;
		for (int i = 0; i < length; i++) {
			if (b[i] == ':') {
				colon = i;
				break;
			}
		}
		if (colon == 0) {
			int from = (length > 1 && b[1] == ' ') ? 2 : 1;
			this.handler.onComment(text(from, length));
			return;
		}
		int nameEnd = (colon < 0) ? length : colon;
		int valueStart = (colon < 0) ? length : colon + 1;
		if (valueStart < length && b[valueStart] == ' ') {
			valueStart++;
		}
		field(nameEnd, valueStart, length);
	}

	private void field(int nameEnd, int valueStart, int length) {
		if (is("data", nameEnd)) {
			if (this.data.length() + (length - valueStart) > this.maxEventSize) {
				throw new SseParseException("SSE event data longer than " + this.maxEventSize
						+ " chars: raise the limit");
			}
			this.data.append(text(valueStart, length)).append('\n');
			this.hasData = true;
		}
		else if (is("event", nameEnd)) {
			this.eventType = text(valueStart, length);
		}
		else if (is("id", nameEnd)) {
			String id = text(valueStart, length);
			if (id.indexOf('\0') < 0) {
				this.idBuffer = id;
			}
		}
		else if (is("retry", nameEnd)) {
			retry(valueStart, length);
		}
	}

	private void retry(int from, int to) {
		if (from == to) {
			return;
		}
		long millis = 0;
		for (int i = from; i < to; i++) {
			byte c = this.line[i];
			if (c < '0' || c > '9') {
				return;
			}
			// saturate rather than overflow: an absurd delay stays absurd, never negative
			millis = (millis > (Long.MAX_VALUE - 9) / 10) ? Long.MAX_VALUE : millis * 10 + (c - '0');
		}
		this.handler.onRetry(millis);
	}

	private boolean is(String name, int nameEnd) {
		if (nameEnd != name.length()) {
			return false;
		}
		for (int i = 0; i < nameEnd; i++) {
			if (this.line[i] != name.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private String text(int from, int to) {
		return new String(this.line, from, to - from, StandardCharsets.UTF_8);
	}

	private void dispatch() {
		this.lastEventId = this.idBuffer;
		if (!this.hasData) {
			this.eventType = "";
			return;
		}
		this.data.setLength(this.data.length() - 1);
		String type = this.eventType.isEmpty() ? "message" : this.eventType;
		SseMessage message = new SseMessage(type, this.data.toString(), this.idBuffer);
		this.data.setLength(0);
		this.hasData = false;
		this.eventType = "";
		if (this.data.capacity() > 64 * 1024) {
			this.data.trimToSize();
		}
		this.handler.onEvent(message);
	}

}

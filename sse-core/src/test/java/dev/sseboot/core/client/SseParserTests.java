package dev.sseboot.core.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The WHATWG "Interpreting an event stream" rules, one test each, fed whole and byte by byte. */
class SseParserTests {

	private final List<SseMessage> events = new ArrayList<>();

	private final List<Long> retries = new ArrayList<>();

	private final List<String> comments = new ArrayList<>();

	private final SseParser parser = new SseParser(new SseParser.Handler() {

		@Override
		public void onEvent(SseMessage message) {
			SseParserTests.this.events.add(message);
		}

		@Override
		public void onRetry(long millis) {
			SseParserTests.this.retries.add(millis);
		}

		@Override
		public void onComment(String comment) {
			SseParserTests.this.comments.add(comment);
		}

	});

	private List<SseMessage> parse(String stream) {
		return parse(stream.getBytes(StandardCharsets.UTF_8));
	}

	private List<SseMessage> parse(byte[] stream) {
		this.parser.feed(stream);
		List<SseMessage> whole = List.copyOf(this.events);
		// the same bytes one at a time must give the same events
		List<SseMessage> single = new ArrayList<>();
		SseParser bytewise = new SseParser(single::add);
		for (byte b : stream) {
			bytewise.feed(new byte[] { b });
		}
		assertThat(single).isEqualTo(whole);
		return whole;
	}

	@Test
	void dispatchesOnBlankLine() {
		assertThat(parse("data: hello\n\n")).containsExactly(SseMessage.of("hello"));
	}

	@Test
	void acceptsLfCrAndCrLfLineEndings() {
		assertThat(parse("data: a\r\rdata: b\r\n\r\ndata: c\n\n")).containsExactly(SseMessage.of("a"),
				SseMessage.of("b"), SseMessage.of("c"));
	}

	@Test
	void treatsCrLfSplitAcrossChunksAsOneLineEnd() {
		this.parser.feed("data: a\r".getBytes(StandardCharsets.UTF_8));
		this.parser.feed("\ndata: b\r".getBytes(StandardCharsets.UTF_8));
		this.parser.feed("\n\r".getBytes(StandardCharsets.UTF_8));
		this.parser.feed("\n".getBytes(StandardCharsets.UTF_8));
		assertThat(this.events).containsExactly(SseMessage.of("a\nb"));
	}

	@Test
	void decodesMultiByteCharacterSplitAcrossChunks() {
		byte[] bytes = "data: 🎉é\n\n".getBytes(StandardCharsets.UTF_8);
		for (int cut = 1; cut < bytes.length; cut++) {
			List<SseMessage> got = new ArrayList<>();
			SseParser split = new SseParser(got::add);
			split.feed(bytes, 0, cut);
			split.feed(bytes, cut, bytes.length - cut);
			assertThat(got).as("cut at %d", cut).containsExactly(SseMessage.of("🎉é"));
		}
	}

	@Test
	void stripsOneLeadingBomOnly() {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		byte[] body = "data: a\n\n".getBytes(StandardCharsets.UTF_8);
		byte[] stream = new byte[bom.length * 2 + body.length * 2];
		System.arraycopy(bom, 0, stream, 0, 3);
		System.arraycopy(body, 0, stream, 3, body.length);
		System.arraycopy(bom, 0, stream, 3 + body.length, 3);
		System.arraycopy(body, 0, stream, 6 + body.length, body.length);
		// the second BOM is part of a field name "\uFEFFdata", which is unknown and ignored
		assertThat(parse(stream)).containsExactly(SseMessage.of("a"));
	}

	@Test
	void feedsBackAPartialBomThatDoesNotMatch() {
		byte[] stream = { (byte) 0xEF, (byte) 0xBB, ':', 'x', '\n', 'd', 'a', 't', 'a', ':', 'y', '\n', '\n' };
		assertThat(parse(stream)).containsExactly(SseMessage.of("y"));
	}

	@Test
	void stripsExactlyOneSpaceAfterColon() {
		assertThat(parse("data:  two\n\ndata:none\n\n")).containsExactly(SseMessage.of(" two"),
				SseMessage.of("none"));
	}

	@Test
	void treatsLineWithoutColonAsFieldWithEmptyValue() {
		assertThat(parse("data\n\n")).containsExactly(SseMessage.of(""));
	}

	@Test
	void joinsDataLinesWithLfAndDropsTheLastLf() {
		assertThat(parse("data: a\ndata:\ndata: b\n\n")).containsExactly(SseMessage.of("a\n\nb"));
	}

	@Test
	void firesNoEventWithoutData() {
		assertThat(parse("event: x\n\nid: 1\n\n: c\n\n")).isEmpty();
	}

	@Test
	void resetsEventTypeAfterDispatchAndAfterEmptyBlock() {
		assertThat(parse("event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n")).containsExactly(
				new SseMessage("a", "1", ""), SseMessage.of("2"), SseMessage.of("3"));
	}

	@Test
	void usesMessageForEmptyEventType() {
		assertThat(parse("event:\ndata: x\n\n")).containsExactly(SseMessage.of("x"));
	}

	@Test
	void keepsLastEventIdAcrossEventsAndResetsOnEmptyId() {
		assertThat(parse("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")).containsExactly(
				new SseMessage("message", "a", "1"), new SseMessage("message", "b", "1"), SseMessage.of("c"));
	}

	@Test
	void setsIdFromBlockWithoutData() {
		assertThat(parse("id: 7\n\ndata: a\n\n")).containsExactly(new SseMessage("message", "a", "7"));
		assertThat(this.parser.lastEventId()).isEqualTo("7");
	}

	/**
	 * WHATWG: an id field sets the stream's last event ID buffer; the id a reconnect sends changes only when an
	 * event (or an id-only block) is dispatched. An id whose event was cut before its blank line must not count, or a
	 * client resumes after an event it never received.
	 */
	@Test
	void anIdWhoseEventWasCutBeforeItsBlankLineIsNotTheLastEventId() {
		assertThat(parse("data: a\nid: 1\n\ndata: b\nid: 2\n")).containsExactly(new SseMessage("message", "a", "1"));
		assertThat(this.parser.lastEventId()).isEqualTo("1");
		this.parser.feed("\n".getBytes(StandardCharsets.UTF_8));
		assertThat(this.events).containsExactly(new SseMessage("message", "a", "1"),
				new SseMessage("message", "b", "2"));
		assertThat(this.parser.lastEventId()).isEqualTo("2");
	}

	@Test
	void ignoresIdContainingNul() {
		assertThat(parse("id: 1\n\nid: a\0b\ndata: x\n\n")).containsExactly(new SseMessage("message", "x", "1"));
	}

	@Test
	void acceptsOnlyAsciiDigitRetry() {
		parse("retry: 1000\n\nretry: 10s\n\nretry: -1\n\nretry:\n\nretry:  5\n\nretry: 1.5\n\nretry: 0\n\n");
		assertThat(this.retries).containsExactly(1000L, 0L);
	}

	@Test
	void saturatesHugeRetry() {
		parse("retry: 99999999999999999999999\n\n");
		assertThat(this.retries).containsExactly(Long.MAX_VALUE);
	}

	@Test
	void ignoresUnknownFieldsAndReportsComments() {
		assertThat(parse(": hi\nfoo: bar\nDATA: no\ndata: yes\n:\n\n")).containsExactly(SseMessage.of("yes"));
		assertThat(this.comments).containsExactly("hi", "");
	}

	@Test
	void dropsUnterminatedLastBlock() {
		assertThat(parse("data: a\n\ndata: b\n")).containsExactly(SseMessage.of("a"));
	}

	@Test
	void keepsNulInData() {
		assertThat(parse("data: a\0b\n\n")).containsExactly(SseMessage.of("a\0b"));
	}

	@Test
	void decodesMalformedUtf8AsReplacementCharacter() {
		byte[] stream = { 'd', 'a', 't', 'a', ':', ' ', (byte) 0xFF, 'x', '\n', '\n' };
		assertThat(parse(stream)).containsExactly(SseMessage.of("\uFFFDx"));
	}

	@Test
	void readsByteBuffers() {
		this.parser.feed(ByteBuffer.wrap("data: a\n\n".getBytes(StandardCharsets.UTF_8)));
		ByteBuffer direct = ByteBuffer.allocateDirect(16);
		direct.put("data: b\n\n".getBytes(StandardCharsets.UTF_8)).flip();
		this.parser.feed(direct);
		assertThat(this.events).containsExactly(SseMessage.of("a"), SseMessage.of("b"));
	}

	@Test
	void startsFromGivenLastEventId() {
		List<SseMessage> got = new ArrayList<>();
		new SseParser(got::add, "41", 1024).feed("data: x\n\n".getBytes(StandardCharsets.UTF_8));
		assertThat(got).containsExactly(new SseMessage("message", "x", "41"));
	}

	@Test
	void refusesLinesOverTheLimit() {
		SseParser small = new SseParser((m) -> {
		}, "", 8);
		assertThatExceptionOfType(SseParseException.class)
			.isThrownBy(() -> small.feed("data: 123456789\n\n".getBytes(StandardCharsets.UTF_8)))
			.withMessage("SSE line longer than 8 bytes: raise the limit");
	}

	@Test
	void refusesEventDataOverTheLimit() {
		SseParser small = new SseParser((m) -> {
		}, "", 12);
		assertThatExceptionOfType(SseParseException.class)
			.isThrownBy(() -> small.feed("data: 12345\ndata: 12345\ndata: 12345\n\n".getBytes(StandardCharsets.UTF_8)))
			.withMessageStartingWith("SSE event data longer than 12 chars");
	}

	@Test
	void readsTenMebibyteEventInSmallChunks() {
		String payload = "x".repeat(10 * 1024 * 1024);
		byte[] bytes = ("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i += 8192) {
			this.parser.feed(bytes, i, Math.min(8192, bytes.length - i));
		}
		assertThat(this.events).hasSize(1);
		assertThat(this.events.get(0).data()).isEqualTo(payload);
	}

}

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** One test per encoding rule and per tricky case of the event stream format, comparing whole byte strings. */
class SseEncoderTests {

	private final SseEncoder encoder = new SseEncoder();

	private String encode(SseEvent event) {
		return new String(this.encoder.encode(event), StandardCharsets.UTF_8);
	}

	@Test
	void writesDataLineThenBlankLine() {
		assertThat(encode(SseEvent.of("hello"))).isEqualTo("data: hello\n\n");
	}

	@Test
	void writesFieldsInFixedOrderWithOneSpaceAfterColon() {
		SseEvent event = SseEvent.builder().data("a\nb").retry(Duration.ofSeconds(3)).id("7").name("tick")
			.comment("note").build();
		assertThat(encode(event)).isEqualTo(": note\nevent: tick\nid: 7\nretry: 3000\ndata: a\ndata: b\n\n");
	}

	@Test
	void omitsEventFieldForDefaultType() {
		assertThat(encode(SseEvent.builder().id("1").data("x").build())).isEqualTo("id: 1\ndata: x\n\n");
	}

	@Test
	void splitsDataOnLfCrLfAndLoneCr() {
		assertThat(encode(SseEvent.of("a\r\nb\rc\nd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
	}

	@Test
	void keepsEmptyPiecesBetweenTerminators() {
		assertThat(encode(SseEvent.of("a\n\n\r\r\n\r\nb")))
			.isEqualTo("data: a\ndata: \ndata: \ndata: \ndata: \ndata: b\n\n");
	}

	@Test
	void keepsTrailingEmptyPiece() {
		assertThat(encode(SseEvent.of("a\n"))).isEqualTo("data: a\ndata: \n\n");
		assertThat(encode(SseEvent.of("a\r"))).isEqualTo("data: a\ndata: \n\n");
		assertThat(encode(SseEvent.of("a\r\n"))).isEqualTo("data: a\ndata: \n\n");
	}

	@Test
	void writesDataThatIsOnlyANewlineAsTwoEmptyLines() {
		assertThat(encode(SseEvent.of("\n"))).isEqualTo("data: \ndata: \n\n");
	}

	@Test
	void writesEmptyDataAsOneEmptyDataLine() {
		assertThat(encode(SseEvent.of(""))).isEqualTo("data: \n\n");
	}

	@Test
	void keepsLeadingSpacesInData() {
		assertThat(encode(SseEvent.of("  two spaces"))).isEqualTo("data:   two spaces\n\n");
		assertThat(encode(SseEvent.of(" a\n b"))).isEqualTo("data:  a\ndata:  b\n\n");
	}

	@Test
	void doesNotSplitOnUnicodeLineSeparators() {
		assertThat(encode(SseEvent.of("a\u2028b\u2029c\u0085d\u000Be\u000Cf")))
			.isEqualTo("data: a\u2028b\u2029c\u0085d\u000Be\u000Cf\n\n");
	}

	@Test
	void writesNulInDataAsIs() {
		assertThat(this.encoder.encode(SseEvent.of("a\0b")))
			.isEqualTo(new byte[] { 'd', 'a', 't', 'a', ':', ' ', 'a', 0, 'b', '\n', '\n' });
	}

	@Test
	void encodesNonAsciiAndEmojiInEveryFieldAsUtf8() {
		SseEvent event = SseEvent.builder().name("ünï").id("🎉").comment("ça").data("日本 🎉").build();
		byte[] expected = ": ça\nevent: ünï\nid: 🎉\ndata: 日本 🎉\n\n".getBytes(StandardCharsets.UTF_8);
		assertThat(this.encoder.encode(event)).isEqualTo(expected);
		assertThat(this.encoder.encode(SseEvent.of("🎉"))).hasSize("data: \n\n".length() + 4);
	}

	@Test
	void encodesEveryUtf8LengthExactly() {
		String text = "a\u00e9\u0800\uffff\ud800\udc00\udbff\udfff";
		assertThat(this.encoder.encode(SseEvent.of(text)))
			.isEqualTo(("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void encodesOneMebibytePayload() {
		String payload = "x".repeat(1024 * 1024 - 1) + "é";
		byte[] bytes = this.encoder.encode(SseEvent.of(payload));
		assertThat(bytes).isEqualTo(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void writesEmptyIdAsExplicitReset() {
		assertThat(encode(SseEvent.builder().id("").build())).isEqualTo("id: \n\n");
	}

	@Test
	void writesIdOnlyBlock() {
		assertThat(encode(SseEvent.builder().id("42").build())).isEqualTo("id: 42\n\n");
	}

	@Test
	void writesRetryBlockWithoutData() {
		assertThat(encode(SseEvent.builder().retry(Duration.ofMillis(5000)).build())).isEqualTo("retry: 5000\n\n");
		assertThat(encode(SseEvent.builder().retry(Duration.ZERO).build())).isEqualTo("retry: 0\n\n");
	}

	@Test
	void writesCommentsAsColonLines() {
		assertThat(encode(SseEvent.comment("hello"))).isEqualTo(": hello\n\n");
		assertThat(encode(SseEvent.comment(""))).isEqualTo(":\n\n");
		assertThat(encode(SseEvent.builder().comment("c").data("x").build())).isEqualTo(": c\ndata: x\n\n");
	}

	@Test
	void prependsAnIdToAnEncodedEvent() {
		byte[] encoded = this.encoder.encode(SseEvent.of("chat", "hé"));
		assertThat(new String(this.encoder.withId("1732560000000-0", encoded), StandardCharsets.UTF_8))
			.isEqualTo("id: 1732560000000-0\nevent: chat\ndata: hé\n\n");
		assertThatIllegalArgumentException().isThrownBy(() -> this.encoder.withId("a\nb", encoded))
			.withMessageStartingWith("SSE event id must not contain a line break");
	}

	@Test
	void heartbeatIsAnEmptyCommentBlock() {
		assertThat(SseEncoder.heartbeat()).isEqualTo(":\n\n".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void writesPlainValuesAsTextByDefault() {
		assertThat(encode(SseEvent.of(42))).isEqualTo("data: 42\n\n");
		assertThat(encode(SseEvent.of(true))).isEqualTo("data: true\n\n");
		assertThat(encode(SseEvent.of(new StringBuilder("sb")))).isEqualTo("data: sb\n\n");
	}

	@Test
	void refusesObjectsWithoutSerializerNamingTheFix() {
		List<Integer> data = List.of(1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.encoder.encode(SseEvent.of(data)))
			.withMessageStartingWith("SSE event data of type " + data.getClass().getName() + " cannot be written "
					+ "as text: pass a String, or give the encoder an SseDataSerializer");
	}

	@Test
	void splitsSerialisedDataIntoLines() {
		SseEncoder json = new SseEncoder((data) -> "{\n  \"a\": 1\n}");
		assertThat(new String(json.encode(SseEvent.of(Map.of("a", 1))), StandardCharsets.UTF_8))
			.isEqualTo("data: {\ndata:   \"a\": 1\ndata: }\n\n");
	}

	@Test
	void refusesSerialisedDataWithUnpairedSurrogate() {
		SseEncoder broken = new SseEncoder((data) -> "ab\ud800");
		assertThatIllegalArgumentException().isThrownBy(() -> broken.encode(SseEvent.of(List.of())))
			.withMessage("SSE event data (as serialised) contains an unpaired UTF-16 surrogate at index 2 "
					+ "(got \"ab\\uD800\"): it cannot be encoded as UTF-8; fix the text where it is made");
	}

	@Test
	void refusesNullFromSerialiser() {
		SseEncoder broken = new SseEncoder((data) -> null);
		assertThatIllegalArgumentException().isThrownBy(() -> broken.encode(SseEvent.of(List.of())))
			.withMessageContaining("SSE data serialiser returned null");
	}

}

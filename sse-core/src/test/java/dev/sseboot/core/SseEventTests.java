package dev.sseboot.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every input the event stream format cannot represent is refused at build time, with its documented message. */
class SseEventTests {

	@Test
	void refusesLineFeedInName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x\nevent: evil", "d"))
			.withMessage("SSE event name must not contain a line break (got \"x\\nevent: evil\"): "
					+ "names are written on one line");
	}

	@Test
	void refusesCarriageReturnInName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("a\rb", "d"))
			.withMessage("SSE event name must not contain a line break (got \"a\\rb\"): names are written on one line");
	}

	@Test
	void refusesEmptyName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("", "d"))
			.withMessage("SSE event name must not be empty: leave it unset (null) for the default type \"message\"");
	}

	@Test
	void refusesNameWithoutData() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().name("tick").build())
			.withMessage("SSE event name \"tick\" is set but data is not: a client fires no event without data; "
					+ "set data (\"\" is fine)");
	}

	@Test
	void refusesLineBreaksInId() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().id("a\nb").build())
			.withMessage("SSE event id must not contain a line break (got \"a\\nb\"): ids are written on one line");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().id("a\r").build())
			.withMessage("SSE event id must not contain a line break (got \"a\\r\"): ids are written on one line");
	}

	@Test
	void refusesNulInId() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().id("a\0b").data("x").build())
			.withMessage("SSE event id must not contain U+0000 (got \"a\\0b\"): browsers ignore an id field that "
					+ "holds NUL; remove it");
	}

	@Test
	void refusesNegativeRetry() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().retry(Duration.ofMillis(-1)).build())
			.withMessage("SSE retry must not be negative (got PT-0.001S): use zero or more milliseconds");
	}

	@Test
	void refusesFractionalRetry() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseEvent.builder().retry(Duration.ofNanos(1_500_000)).build())
			.withMessage("SSE retry must be a whole number of milliseconds (got PT0.0015S): clients ignore "
					+ "fractions; use Duration.ofMillis(...)");
	}

	@Test
	void refusesRetryThatOverflowsMilliseconds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SseEvent.builder().retry(Duration.ofSeconds(Long.MAX_VALUE)).build())
			.withMessageStartingWith("SSE retry is too large");
	}

	@Test
	void refusesLineBreaksInComment() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.comment("one\ntwo"))
			.withMessage("SSE comment must not contain a line break (got \"one\\ntwo\"): a line break would turn "
					+ "the rest into a field; send one comment per line");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.comment("one\rtwo"))
			.withMessageStartingWith("SSE comment must not contain a line break");
	}

	@Test
	void refusesUnpairedSurrogatesInEveryField() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("a\ud83cb"))
			.withMessage("SSE event data contains an unpaired UTF-16 surrogate at index 1 (got \"a\\uD83Cb\"): "
					+ "it cannot be encoded as UTF-8; fix the text where it is made");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("x\udc00"))
			.withMessageStartingWith("SSE event data contains an unpaired UTF-16 surrogate at index 1");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("\udc00\ud800"))
			.withMessageStartingWith("SSE event data contains an unpaired UTF-16 surrogate at index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("end\ud800"))
			.withMessageStartingWith("SSE event data contains an unpaired UTF-16 surrogate at index 3");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.of("n\ud800", "d"))
			.withMessageStartingWith("SSE event name contains an unpaired UTF-16 surrogate at index 1");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().id("\udfff").build())
			.withMessageStartingWith("SSE event id contains an unpaired UTF-16 surrogate at index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.comment("c\ud800"))
			.withMessageStartingWith("SSE comment contains an unpaired UTF-16 surrogate at index 1");
	}

	@Test
	void refusesEventWithoutAnyField() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().build())
			.withMessage("SSE event has no field: set data, id, retry, name or a comment");
	}

	@Test
	void quotesLongValuesShortly() {
		String id = "x".repeat(100) + "\n";
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().id(id).build())
			.withMessageContaining("(got \"" + "x".repeat(40) + "\"... (101 chars))");
	}

	@Test
	void acceptsBlocksWithoutData() {
		assertThat(SseEvent.builder().id("").build().id()).isEmpty();
		assertThat(SseEvent.builder().retry(Duration.ofMillis(10)).build().retry()).hasMillis(10);
		assertThat(SseEvent.comment("hi").comment()).isEqualTo("hi");
		assertThat(SseEvent.of("a\0b").data()).isEqualTo("a\0b");
	}

	@Test
	void isImmutableValueWithCopies() {
		SseEvent event = SseEvent.of("tick", "1");
		SseEvent stamped = event.withId("9");
		assertThat(event.id()).isNull();
		assertThat(stamped).isEqualTo(SseEvent.builder().name("tick").data("1").id("9").build());
		assertThat(stamped).hasSameHashCodeAs(SseEvent.builder().name("tick").data("1").id("9").build());
		assertThat(stamped.toString()).isEqualTo("SseEvent{id=\"9\" name=\"tick\" data=\"1\"}");
	}

}

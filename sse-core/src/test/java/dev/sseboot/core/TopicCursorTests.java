package dev.sseboot.core;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicCursorTests {

	@Test
	void positionsShareTheirLeadingCharactersWithTheOneBefore() {
		assertThat(TopicCursor.encode(new String[] { "k3j2a-1234", "k3j2a-1240", null, "1733380000123-0" }))
			.isEqualTo("k3j2a-1234,840,!,01733380000123-0");
		assertThat(TopicCursor.decode("room.1 k3j2a-1234,840,!,01733380000123-0", 4))
			.containsExactly("k3j2a-1234", "k3j2a-1240", null, "1733380000123-0");
	}

	@Test
	void separatorsInsideAPositionAreEscapedAndComeBack() {
		String[] positions = { "a b,c!d%e", "a b,c!d%f", "日本-1" };
		String cursor = TopicCursor.encode(positions);
		assertThat(cursor).doesNotContain(" ").isEqualTo("a%20b%2Cc%21d%25e,8f,0日本-1");
		assertThat(TopicCursor.decode("topic with spaces " + cursor, 3)).containsExactly(positions);
	}

	@Test
	void randomPositionsRoundTrip() {
		Random random = new Random(1);
		String alphabet = "ab-0123456789 ,!%é";
		for (int run = 0; run < 2_000; run++) {
			String[] positions = new String[1 + random.nextInt(6)];
			for (int i = 0; i < positions.length; i++) {
				if (random.nextInt(8) == 0) {
					continue;
				}
				StringBuilder position = new StringBuilder();
				int length = 1 + random.nextInt(50);
				for (int c = 0; c < length; c++) {
					position.append(alphabet.charAt(random.nextInt(alphabet.length())));
				}
				positions[i] = position.toString();
			}
			String cursor = TopicCursor.encode(positions);
			assertThat(cursor).as(Arrays.toString(positions)).doesNotContain(" ");
			assertThat(TopicCursor.decode(cursor, positions.length)).as(cursor).containsExactly(positions);
		}
	}

	@Test
	void aCursorOfAnotherSizeOrMalformedIsNoCursor() {
		assertThat(TopicCursor.decode("a,0b", 3)).isNull();
		assertThat(TopicCursor.decode("a,zb", 2)).isNull();
		assertThat(TopicCursor.decode("a,", 2)).isNull();
		assertThat(TopicCursor.decode("%4", 1)).isNull();
		assertThat(TopicCursor.decode("%41", 1)).isNull();
		assertThat(TopicCursor.decode("!,5abc", 2)).isNull();
	}

	@Test
	void positionsTooLongForTheIdsLimitBecomeUnknownLongestFirst() {
		String[] positions = { "p-1", "x".repeat(600), "y".repeat(500), "p-2" };
		String[] fitted = TopicCursor.fitting(positions, 100);
		assertThat(fitted).containsExactly("p-1", null, "y".repeat(500), "p-2");
		assertThat(100 + 1 + TopicCursor.bytes(TopicCursor.encode(fitted))).isLessThanOrEqualTo(1024);
		assertThat(TopicCursor.fitting(fitted, 100)).isSameAs(fitted);
	}

}

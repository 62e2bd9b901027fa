package dev.sseboot.testsupport;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sseboot.test.SseStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a refused GET stream looks like to its client: 200, one comment with the reason, one jittered retry, the end.
 */
public final class Refusals {

	private static final Pattern REFUSAL = Pattern.compile(": ([^\n]*)\nretry: (\\d+)\n\n");

	private Refusals() {
	}

	/**
	 * Asserts that {@code stream} was refused for a later try, its reason containing {@code reason}, with a retry
	 * between half and one and a half times {@code retry}; returns the retry it was told.
	 */
	public static Duration assertRefusedWithRetry(SseStream stream, String reason, Duration retry) {
		assertThat(stream.status()).as("a browser's EventSource gives up for good on any other status").isEqualTo(200);
		assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
		stream.awaitEnd(Duration.ofSeconds(10));
		Matcher matcher = REFUSAL.matcher(stream.rawText());
		assertThat(matcher.matches()).as("a refusal, not %s", stream.rawText()).isTrue();
		assertThat(matcher.group(1)).contains(reason);
		Duration told = Duration.ofMillis(Long.parseLong(matcher.group(2)));
		assertThat(told).isBetween(retry.dividedBy(2), retry.multipliedBy(3).dividedBy(2));
		return told;
	}

	/** As {@link #assertRefusedWithRetry(SseStream, String, Duration)} with the default retry, 3 s. */
	public static Duration assertRefusedWithRetry(SseStream stream, String reason) {
		return assertRefusedWithRetry(stream, reason, Duration.ofSeconds(3));
	}

}

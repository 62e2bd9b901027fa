package dev.sseboot.core.client;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the encoder accepts, a WHATWG parser reads back as meant: random events with every line terminator,
 * leading spaces, empty pieces, NUL, emoji and long lines are encoded, cut into random chunks, parsed, and compared
 * with what the standard says a client must see (CR and CRLF in data arrive as LF; ids persist across events).
 */
class RoundTripTests {

	private static final int EVENTS = 12_000;

	private static final String[] PIECES = { "", " ", "  lead", "a", "xyz", "\0", "🎉", "日本", "é", "\u2028",
			"data: fake", "id: fake", ":colon", "\t", "\uFEFF" };

	private static final String[] TERMINATORS = { "\n", "\r", "\r\n" };

	@Test
	void encodedEventsParseBackExactlyWhateverTheChunking() {
		for (long seed = 1; seed <= 3; seed++) {
			roundTrip(new SplittableRandom(seed));
		}
	}

	private void roundTrip(SplittableRandom random) {
		SseEncoder encoder = new SseEncoder();
		ByteArrayOutputStream wire = new ByteArrayOutputStream();
		List<SseMessage> expected = new ArrayList<>();
		List<Long> expectedRetries = new ArrayList<>();
		String lastId = "";
		for (int i = 0; i < EVENTS / 3; i++) {
			SseEvent event = randomEvent(random);
			wire.writeBytes(encoder.encode(event));
			if (event.id() != null) {
				lastId = event.id();
			}
			if (event.retry() != null) {
				expectedRetries.add(event.retry().toMillis());
			}
			if (event.data() != null) {
				String type = (event.name() != null) ? event.name() : "message";
				String data = ((String) event.data()).replace("\r\n", "\n").replace('\r', '\n');
				expected.add(new SseMessage(type, data, lastId));
			}
		}
		List<SseMessage> received = new ArrayList<>();
		List<Long> retries = new ArrayList<>();
		SseParser parser = new SseParser(new SseParser.Handler() {

			@Override
			public void onEvent(SseMessage message) {
				received.add(message);
			}

			@Override
			public void onRetry(long millis) {
				retries.add(millis);
			}

		});
		byte[] bytes = wire.toByteArray();
		int pos = 0;
		while (pos < bytes.length) {
			int chunk = random.nextBoolean() ? 1 + random.nextInt(4) : 1 + random.nextInt(4096);
			chunk = Math.min(chunk, bytes.length - pos);
			parser.feed(bytes, pos, chunk);
			pos += chunk;
		}
		assertThat(received).hasSameSizeAs(expected);
		for (int i = 0; i < expected.size(); i++) {
			assertThat(received.get(i)).as("event %d", i).isEqualTo(expected.get(i));
		}
		assertThat(retries).isEqualTo(expectedRetries);
	}

	private SseEvent randomEvent(SplittableRandom random) {
		SseEvent.Builder builder = SseEvent.builder();
		boolean data = random.nextInt(10) < 8;
		if (data) {
			builder.data(randomText(random, true));
			if (random.nextBoolean()) {
				builder.name("n" + randomText(random, false));
			}
		}
		if (random.nextInt(3) == 0) {
			builder.id(randomText(random, false).replace("\0", ""));
		}
		if (random.nextInt(8) == 0) {
			builder.retry(Duration.ofMillis(random.nextInt(100_000)));
		}
		if (random.nextInt(6) == 0) {
			builder.comment(randomText(random, false));
		}
		if (!data && random.nextBoolean()) {
			builder.comment("keep-alive");
		}
		try {
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			return builder.comment("filler").build();
		}
	}

	private String randomText(SplittableRandom random, boolean multiline) {
		StringBuilder text = new StringBuilder();
		int pieces = random.nextInt(6);
		for (int i = 0; i < pieces; i++) {
			if (multiline && random.nextInt(3) == 0) {
				text.append(TERMINATORS[random.nextInt(TERMINATORS.length)]);
			}
			else if (random.nextInt(200) == 0) {
				text.append("L".repeat(20_000 + random.nextInt(50_000)));
			}
			else {
				text.append(PIECES[random.nextInt(PIECES.length)]);
			}
		}
		return text.toString();
	}

}

package dev.sseboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link OverflowPolicy#CONFLATE}: at the boundary a keyed event replaces the queued one with its key in place, any
 * other drops the oldest, the latest value of every key wins with many producers, and a key never reaches the wire.
 */
class ConflateTests extends AbstractManualChannelTests {

	/** A started channel whose client took the first write and then nothing, so the buffer fills. */
	private DefaultEventChannel stalledChannel(int bufferSize) {
		DefaultEventChannel channel = channel(bufferSize, OverflowPolicy.CONFLATE, Duration.ofSeconds(5));
		channel.start();
		this.transport.stalled = true;
		channel.send("first");
		this.manual.runAll();
		return channel;
	}

	private static SseEvent price(String symbol, int value) {
		return SseEvent.builder().name("price").key("price:" + symbol).data(symbol + "=" + value).build();
	}

	/** Everything written after "first", once the client reads again. */
	private String drained(DefaultEventChannel channel) {
		this.transport.stalled = false;
		this.transport.release();
		this.manual.runAll();
		return this.transport.text().substring("data: first\n\n".length());
	}

	@Test
	void belowTheBoundaryNothingIsConflated() {
		DefaultEventChannel channel = stalledChannel(3);
		channel.send(price("ACME", 1));
		channel.send(price("ACME", 2));
		channel.send(price("ACME", 3));
		assertThat(drained(channel)).isEqualTo(
				"event: price\ndata: ACME=1\n\nevent: price\ndata: ACME=2\n\nevent: price\ndata: ACME=3\n\n");
		assertThat(channel.eventsDropped()).isZero();
	}

	@Test
	void atTheBoundaryAKeyedEventReplacesTheQueuedOneInItsPlace() {
		DefaultEventChannel channel = stalledChannel(3);
		channel.send(price("ACME", 1));
		channel.send(price("INIT", 1));
		channel.send(price("ZED", 1));
		assertThat(channel.send(price("ACME", 2))).isTrue();
		assertThat(channel.send(price("ACME", 3))).isTrue();
		assertThat(drained(channel)).isEqualTo(
				"event: price\ndata: ACME=3\n\nevent: price\ndata: INIT=1\n\nevent: price\ndata: ZED=1\n\n");
		assertThat(channel.eventsDropped()).isEqualTo(2);
		assertThat(this.closes).isEmpty();
	}

	@Test
	void aKeyNotQueuedOrNoKeyDropsTheOldest() {
		DefaultEventChannel channel = stalledChannel(3);
		channel.send(price("ACME", 1));
		channel.send(price("INIT", 1));
		channel.send(price("ZED", 1));
		channel.send(price("NEW", 1));
		channel.send("unkeyed");
		assertThat(drained(channel))
			.isEqualTo("event: price\ndata: ZED=1\n\nevent: price\ndata: NEW=1\n\ndata: unkeyed\n\n");
		assertThat(channel.eventsDropped()).isEqualTo(2);
	}

	@Test
	void topicEventsAreNeverReplacedNorPushedOut() {
		DefaultEventChannel channel = stalledChannel(2);
		channel.sendEncoded(EncodedEvents.of("id: t-1\ndata: topic\n\n".getBytes()), OverflowPolicy.CLOSE);
		channel.send(price("ACME", 1));
		channel.send(price("ACME", 2));
		channel.send(price("OTHER", 1));
		assertThat(drained(channel)).isEqualTo("id: t-1\ndata: topic\n\nevent: price\ndata: OTHER=1\n\n");
	}

	@Test
	void withManyProducersTheLatestValueOfEveryKeyWins() throws Exception {
		DefaultEventChannel channel = stalledChannel(8);
		int producers = 8;
		int updates = 5_000;
		// the buffer at its boundary with every key queued once: from here each event replaces its key's in place.
		// (Started below it, the producers would fill it with several events of some keys, and a key not queued
		// drops the oldest, as documented: a producer that finished first could then lose its last value.)
		for (int p = 0; p < producers; p++) {
			channel.send(price("S" + p, 0));
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			String symbol = "S" + p;
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int v = 1; v <= updates; v++) {
					channel.send(price(symbol, v));
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(30_000);
		}
		String written = drained(channel);
		Map<String, Integer> last = new LinkedHashMap<>();
		Map<String, Integer> previous = new LinkedHashMap<>();
		Matcher values = Pattern.compile("data: (S\\d)=(\\d+)").matcher(written);
		while (values.find()) {
			int value = Integer.parseInt(values.group(2));
			// per key, values only ever rise: a replaced event keeps its place, never goes back in time
			assertThat(value).isGreaterThan(previous.getOrDefault(values.group(1), 0));
			previous.put(values.group(1), value);
			last.put(values.group(1), value);
		}
		assertThat(last).hasSize(producers).allSatisfy((symbol, value) -> assertThat(value).isEqualTo(updates));
		assertThat(channel.eventsSent() + channel.eventsDropped())
			.isEqualTo(1 + producers + (long) producers * updates);
		assertThat(this.closes).isEmpty();
	}

	@Test
	void aKeyNeverReachesTheWire() {
		SseEncoder encoder = new SseEncoder();
		SseEvent keyed = SseEvent.builder().id("7").name("price").key("price:ACME").data("ACME=1").build();
		SseEvent plain = SseEvent.builder().id("7").name("price").data("ACME=1").build();
		assertThat(encoder.encode(keyed)).isEqualTo(encoder.encode(plain));
		assertThat(new String(encoder.encode(keyed))).doesNotContain("price:ACME");
		assertThat(keyed.key()).isEqualTo("price:ACME");
		assertThat(keyed.toBuilder().build()).isEqualTo(keyed).isNotEqualTo(plain);
	}

	@Test
	void anEmptyKeyIsRefusedWithTheFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEvent.builder().key("").data("x").build())
			.withMessageContaining("SSE event key must not be empty");
	}

}

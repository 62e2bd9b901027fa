package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A publisher's reservations in a channel's buffer: bounded, never refused, never taken by other offers. */
class EventBufferTests {

	private static EncodedEvents event(String data) {
		return EncodedEvents.of(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aPublisherIsPromisedAtMostThreeQuartersOfTheBufferCountingWhatIsQueued() {
		EventBuffer buffer = new EventBuffer(16);
		assertThat(buffer.offer(event("own"), true, OverflowPolicy.CLOSE, 0).outcome())
			.isEqualTo(EventBuffer.Outcome.ACCEPTED);
		assertThat(buffer.reserve(100)).isEqualTo(11);
		assertThat(buffer.reserve(100)).isZero();
		assertThat(buffer.offerReserved(event("item"), OverflowPolicy.CLOSE, 0).outcome())
			.isEqualTo(EventBuffer.Outcome.ACCEPTED);
		assertThat(buffer.reserve(100)).as("an arrived item still holds its place").isZero();
		assertThat(buffer.take(Integer.MAX_VALUE)).hasSize(2);
		assertThat(buffer.reserve(100)).isEqualTo(2);
	}

	@Test
	void promisedPlacesAreNeverTakenByOtherOffersNorPushedOutByDropOldest() {
		EventBuffer buffer = new EventBuffer(8);
		assertThat(buffer.reserve(8)).isEqualTo(6);
		assertThat(buffer.offer(event("own 1"), true, OverflowPolicy.CLOSE, 0).outcome())
			.isEqualTo(EventBuffer.Outcome.ACCEPTED);
		assertThat(buffer.offer(event("own 2"), true, OverflowPolicy.CLOSE, 0).outcome())
			.isEqualTo(EventBuffer.Outcome.ACCEPTED);
		assertThat(buffer.offer(event("own 3"), true, OverflowPolicy.CLOSE, 0).outcome())
			.as("the other six places are promised").isEqualTo(EventBuffer.Outcome.FULL);
		for (int i = 0; i < 6; i++) {
			assertThat(buffer.offerReserved(event("item " + i), OverflowPolicy.CLOSE, 0).outcome())
				.isEqualTo(EventBuffer.Outcome.ACCEPTED);
		}
		EventBuffer.Offer dropping = buffer.offer(event("own 4"), true, OverflowPolicy.DROP_OLDEST, 0);
		assertThat(dropping.outcome()).isEqualTo(EventBuffer.Outcome.ACCEPTED_DROPPING_OLDEST);
		List<String> left = new ArrayList<>();
		for (EncodedEvents taken : buffer.take(Integer.MAX_VALUE)) {
			left.add(new String(taken.bytes(), StandardCharsets.UTF_8).trim());
		}
		assertThat(left).containsExactly("data: own 2", "data: item 0", "data: item 1", "data: item 2",
				"data: item 3", "data: item 4", "data: item 5", "data: own 4");
	}

	@Test
	void anItemNobodyAskedForMeetsThePolicy() {
		EventBuffer buffer = new EventBuffer(2);
		buffer.offer(event("1"), true, OverflowPolicy.CLOSE, 0);
		buffer.offer(event("2"), true, OverflowPolicy.CLOSE, 0);
		assertThat(buffer.offerReserved(event("unasked"), OverflowPolicy.CLOSE, 0).outcome())
			.isEqualTo(EventBuffer.Outcome.FULL);
	}

	@Test
	void underRacingReservationsAndOffersTheBufferNeverHoldsMoreThanItsCapacity() throws Exception {
		int capacity = 16;
		EventBuffer buffer = new EventBuffer(capacity);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		AtomicInteger promised = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		try {
			List<Future<?>> tasks = new ArrayList<>();
			// a publisher: asks for places, then fills them
			tasks.add(pool.submit(() -> {
				for (int i = 0; i < 20_000; i++) {
					int granted = buffer.reserve(ThreadLocalRandom.current().nextInt(1, 8));
					promised.addAndGet(granted);
					for (int g = 0; g < granted; g++) {
						assertThat(buffer.offerReserved(event("p"), OverflowPolicy.CLOSE, 0).outcome())
							.isEqualTo(EventBuffer.Outcome.ACCEPTED);
						most.accumulateAndGet(buffer.size(), Math::max);
					}
				}
				return null;
			}));
			// the application's own sends, dropping when full
			tasks.add(pool.submit(() -> {
				for (int i = 0; i < 20_000; i++) {
					buffer.offer(event("o"), true, OverflowPolicy.DROP_NEWEST, 0);
					most.accumulateAndGet(buffer.size(), Math::max);
				}
				return null;
			}));
			// the drain, for as long as the others run (a drain that finished before the publisher started left it a
			// full buffer and no reservation at all)
			AtomicBoolean producing = new AtomicBoolean(true);
			Future<?> drain = pool.submit(() -> {
				while (producing.get()) {
					buffer.take(ThreadLocalRandom.current().nextInt(1, 200));
				}
				return null;
			});
			for (Future<?> task : tasks) {
				task.get(60, TimeUnit.SECONDS);
			}
			producing.set(false);
			drain.get(60, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(promised.get()).isPositive();
		assertThat(most.get()).isBetween(1, capacity);
	}

}

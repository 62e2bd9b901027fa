package dev.sseboot.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new subscriber of a Redis topic gets first, for every kind of Last-Event-ID: no Redis needed. */
class ResumeTests {

	private static final StreamId LAST = StreamId.of("1700000000000-5");

	private static final StreamId FIRST = StreamId.of("1700000000000-1");

	private final AtomicInteger firstAsked = new AtomicInteger();

	private Supplier<@Nullable StreamId> first(@Nullable StreamId first) {
		return () -> {
			this.firstAsked.incrementAndGet();
			return first;
		};
	}

	@Test
	void withoutAnIdTheClientGetsThePositionAndRedisIsNotAskedForMore() {
		assertThat(Resume.decide(null, LAST, first(FIRST))).isEqualTo(new Resume.Position(LAST));
		assertThat(Resume.decide(null, StreamId.ZERO, first(null))).isEqualTo(new Resume.Position(StreamId.ZERO));
		assertThat(this.firstAsked).hasValue(0);
	}

	@Test
	void aClientAtThePositionIsUpToDate() {
		assertThat(Resume.decide("1700000000000-5", LAST, first(FIRST))).isEqualTo(new Resume.UpToDate());
		assertThat(Resume.decide("0-0", StreamId.ZERO, first(null))).isEqualTo(new Resume.UpToDate());
		assertThat(this.firstAsked).hasValue(0);
	}

	@Test
	void aClientWithinTheStreamGetsTheEntriesAfterItsId() {
		assertThat(Resume.decide("1700000000000-2", LAST, first(FIRST)))
			.isEqualTo(new Resume.Replay(StreamId.of("1700000000000-2"), LAST));
		assertThat(Resume.decide("1700000000000-1", LAST, first(FIRST)))
			.isEqualTo(new Resume.Replay(FIRST, LAST));
	}

	@Test
	void aClientOlderThanTheTrimIsReset() {
		assertThat(Resume.decide("1699999999999-9", LAST, first(FIRST))).isEqualTo(new Resume.Reset(LAST));
		assertThat(Resume.decide("1-0", LAST, first(null))).isEqualTo(new Resume.Reset(LAST));
	}

	@Test
	void anIdFromTheStreamsFutureIsReset() {
		assertThat(Resume.decide("1700000000000-6", LAST, first(FIRST))).isEqualTo(new Resume.Reset(LAST));
		assertThat(Resume.decide("5-0", StreamId.ZERO, first(null))).isEqualTo(new Resume.Reset(StreamId.ZERO));
	}

	@Test
	void anIdThatIsNoStreamIdIsResetAndNeverThrows() {
		// 20 digits pass the shape but not the range of an unsigned 64-bit number
		for (String id : new String[] { "99999999999999999999-1", "1-99999999999999999999", "abc", "", "1-", "-1",
				"1-2-3", " 1-2", "١-٢" }) {
			assertThat(Resume.decide(id, LAST, first(FIRST))).as(id).isEqualTo(new Resume.Reset(LAST));
		}
		assertThat(this.firstAsked).hasValue(0);
	}

	@Test
	void streamIdsCompareAsUnsignedNumbersAndPrintAsRedisDoes() {
		assertThat(StreamId.of("10-0")).isGreaterThan(StreamId.of("9-99"));
		assertThat(StreamId.of("18446744073709551615-0")).isGreaterThan(StreamId.of("9223372036854775807-0"));
		assertThat(StreamId.of("18446744073709551615-18446744073709551615"))
			.hasToString("18446744073709551615-18446744073709551615");
		assertThat(StreamId.of("007-01")).isEqualTo(StreamId.of("7-1")).hasToString("7-1");
		assertThat(StreamId.parse("18446744073709551616-0")).isNull();
	}

}

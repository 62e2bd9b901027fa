package dev.sseboot.core;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunLog}'s ring: whatever the maximum (below, at and above the ring's sizes as it grows), a slice from any
 * held position returns exactly the events after it, in order, and one from before what is held a reset alone.
 */
class RunLogTests {

	@ParameterizedTest
	@ValueSource(ints = { 1, 5, 16, 17, 40, 64, 1000 })
	void everySliceOfEveryPositionIsExactAsTheRingGrowsAndDrops(int maxEvents) {
		RunLog log = new RunLog("r", maxEvents);
		for (int appended = 1; appended <= 150; appended++) {
			log.append("e" + (appended - 1));
			long base = Math.max(0, appended - maxEvents);
			for (long from = 0; from <= appended; from++) {
				LocalRun.Slice slice = log.slice(from, 7);
				if (from < base) {
					assertThat(slice.events()).singleElement()
						.satisfies((item) -> assertThat(((SseEvent) item.item()).name()).isEqualTo("sse-reset"));
					assertThat(slice.next()).isEqualTo(base);
					continue;
				}
				long to = Math.min(appended, from + 7);
				assertThat(slice.next()).isEqualTo(to);
				assertThat(slice.events()).extracting(LocalRun.RunItem::item)
					.as("max %d, %d appended, from %d", maxEvents, appended, from)
					.isEqualTo(LongStream.range(from, to).mapToObj((i) -> (Object) ("e" + i)).toList());
				assertThat(slice.events()).extracting(LocalRun.RunItem::id)
					.isEqualTo(LongStream.range(from, to).mapToObj((i) -> "r:" + i).toList());
				assertThat(slice.ended()).isFalse();
			}
		}
	}

	@Test
	void aCopyThatStartsPastDroppedEventsResetsOlderReadersAndAReaderPastItsEndWaitsUntilItEnds() {
		RunLog log = new RunLog("r", 10);
		log.skipTo(5);
		assertThat(log.published()).isEqualTo(5);
		assertThat(log.append("f")).isEqualTo(5);
		LocalRun.Slice older = log.slice(2, 10);
		assertThat(older.events()).extracting(LocalRun.RunItem::id).containsExactly("r:4");
		assertThat(((SseEvent) older.events().get(0).item()).name()).isEqualTo("sse-reset");
		assertThat(older.next()).isEqualTo(5);
		assertThat(log.slice(5, 10).events()).extracting(LocalRun.RunItem::id).containsExactly("r:5");
		// a reader that saw event 8 where the run runs waits here for event 9, and is done if the run ends first
		LocalRun.Slice ahead = log.slice(9, 10);
		assertThat(ahead.events()).isEmpty();
		assertThat(ahead.ended()).isFalse();
		assertThat(log.endsAt(9)).isFalse();
		log.end(SseRun.Outcome.LOST);
		assertThat(log.slice(9, 10).ended()).isTrue();
		assertThat(log.endsAt(9)).isTrue();
	}

	@Test
	void theEndIsToldWithTheLastSliceAndAFailureMarksItsLastEvent() {
		RunLog log = new RunLog("r", 10);
		log.append("a");
		log.append(SseEvent.of("error", "boom"));
		assertThat(log.endsAt(2)).isFalse();
		log.end(SseRun.Outcome.ERROR);
		assertThat(log.endsAt(2)).isTrue();
		LocalRun.Slice slice = log.slice(0, 10);
		assertThat(slice.ended()).isTrue();
		assertThat(slice.failed()).isTrue();
		assertThat(log.slice(0, 1).ended()).isFalse();
		assertThat(log.slice(2, 10).events()).isEqualTo(List.of());
		assertThat(log.slice(2, 10).ended()).isTrue();
		assertThat(log.slice(2, 10).failed()).isFalse();
	}

}

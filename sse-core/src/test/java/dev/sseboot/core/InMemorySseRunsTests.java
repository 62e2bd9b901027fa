package dev.sseboot.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link InMemorySseRuns}: a run outlives its clients, a client attaches from the start or after any event and gets
 * the rest once, in order, and then live events; the orphan timeout, a stop, an error, the retention and the
 * maximum of events each end or bound a run as documented. Drains, publisher calls and the run's timer run only when
 * the test says.
 */
class InMemorySseRunsTests {

	private final ManualExecutor manual = new ManualExecutor();

	private final ManualTimer timer = new ManualTimer();

	private final List<Client> clients = new ArrayList<>();

	private InMemorySseRuns runs = runs(100);

	private InMemorySseRuns runs(int maxEvents) {
		return new InMemorySseRuns(Duration.ofSeconds(30), Duration.ofMinutes(10), maxEvents, this.timer,
				this.manual);
	}

	@AfterEach
	void keptTheContract() {
		for (Client client : this.clients) {
			assertThat(client.transport.violations).isEmpty();
		}
	}

	@Test
	void aClientFromTheStartGetsEveryEventWithTheRunsIdsThenTheEnd() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		assertThat(run.id()).matches("[A-Za-z0-9_-]{22}");
		assertThat(publisher.requested.get()).isPositive();
		publisher.emit("a", "b");
		Client client = attach(run, null);
		publisher.emit(SseEvent.of("token", "c"));
		publisher.complete();
		this.manual.runAll();
		assertThat(client.transport.text()).isEqualTo("id: " + run.id() + ":0\ndata: a\n\n" + "id: " + run.id()
				+ ":1\ndata: b\n\n" + "event: token\nid: " + run.id() + ":2\ndata: c\n\n");
		assertThat(client.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(run.outcome()).contains(SseRun.Outcome.COMPLETED);
		assertThat(this.runs.ended(SseRun.Outcome.COMPLETED)).isEqualTo(1);
		assertThat(this.runs.active()).isZero();
	}

	@Test
	void aClientResumesAfterEveryPositionWhileRunningAndAfterTheEnd() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		publisher.emit("0", "1", "2", "3", "4");
		for (int last = -1; last < 5; last++) {
			Client client = attach(run, (last < 0) ? null : run.id() + ":" + last);
			this.manual.runAll();
			assertThat(client.transport.text()).as("after %d", last).isEqualTo(events(run, last + 1, 5));
			assertThat(client.closes).isEmpty();
		}
		publisher.emit("5");
		publisher.complete();
		this.manual.runAll();
		for (Client client : this.clients) {
			assertThat(client.transport.text()).endsWith(events(run, 5, 6));
			assertThat(client.closes).containsExactly(CloseReason.COMPLETED);
		}
		for (int last = -1; last < 5; last++) {
			Client client = attach(run, (last < 0) ? null : run.id() + ":" + last);
			this.manual.runAll();
			assertThat(client.transport.text()).as("after %d, ended", last).isEqualTo(events(run, last + 1, 6));
			assertThat(client.closes).containsExactly(CloseReason.COMPLETED);
		}
		// the last event's id: nothing left, nothing attached (an endpoint answers 204)
		DefaultEventChannel late = new Client().channel;
		assertThat(run.attach(late, run.id() + ":5")).isFalse();
	}

	@Test
	void anIdOfAnotherRunOrNoIdAtAllStartsFromTheBeginning() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		publisher.emit("0", "1");
		for (String id : List.of("other:0", run.id() + ":x", run.id() + ":", run.id() + ":99", run.id(), "")) {
			Client client = attach(run, id);
			this.manual.runAll();
			assertThat(client.transport.text()).as(id).isEqualTo(events(run, 0, 2));
		}
	}

	@Test
	void aClientLeavingDoesNotStopTheRunAndAnotherGetsTheWholeAnswer() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client first = attach(run, null);
		publisher.emit("0", "1");
		this.manual.runAll();
		first.channel.close(CloseReason.CLIENT_GONE);
		this.manual.runAll();
		publisher.emit("2", "3");
		publisher.complete();
		this.manual.runAll();
		assertThat(publisher.cancels).hasValue(0);
		assertThat(first.transport.text()).isEqualTo(events(run, 0, 2));
		Client second = attach(run, run.id() + ":1");
		this.manual.runAll();
		assertThat(second.transport.text()).isEqualTo(events(run, 2, 4));
		assertThat(second.closes).containsExactly(CloseReason.COMPLETED);
	}

	@Test
	void twoClientsAttachedAtOnceBothGetEveryLiveEvent() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client a = attach(run, null);
		Client b = attach(run, null);
		for (int i = 0; i < 300; i++) {
			publisher.emit(Integer.toString(i));
			if (i % 7 == 0) {
				this.manual.runAll();
			}
		}
		publisher.complete();
		this.manual.runAll();
		assertThat(a.transport.text()).isEqualTo(events(run, 0, 300)).isEqualTo(b.transport.text());
		assertThat(publisher.requested.get()).isGreaterThanOrEqualTo(300);
	}

	@Test
	void aClientThatTakesNothingNeverHoldsTheRunBackAndGetsEverythingInOrderLater() {
		this.runs = runs(1_000);
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client slow = attach(run, null);
		slow.transport.stall();
		for (int i = 0; i < 1_000; i++) {
			publisher.emit(Integer.toString(i));
			this.manual.runAll();
		}
		publisher.complete();
		this.manual.runAll();
		assertThat(run.outcome()).contains(SseRun.Outcome.COMPLETED);
		assertThat(slow.closes).isEmpty();
		assertThat(slow.channel.eventsDropped()).isZero();
		slow.transport.stalled = false;
		int rounds = 0;
		while (slow.closes.isEmpty() && rounds++ < 10_000) {
			slow.transport.release();
			this.manual.runAll();
		}
		assertThat(slow.transport.text()).isEqualTo(events(run, 0, 1_000));
		assertThat(slow.closes).containsExactly(CloseReason.COMPLETED);
	}

	@Test
	void aRunNobodyAttachedToForTheOrphanTimeoutIsCancelledOnceAndNotBefore() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client first = attach(run, null);
		// the check scheduled at the start finds a client attached
		this.timer.runDue();
		this.manual.runAll();
		assertThat(run.outcome()).isEmpty();
		first.channel.close(CloseReason.CLIENT_GONE);
		this.manual.runAll();
		// a client attaches again before the timeout: the check scheduled when the first left is stale
		Client second = attach(run, null);
		this.timer.runDue();
		this.manual.runAll();
		assertThat(run.outcome()).isEmpty();
		assertThat(publisher.cancels).hasValue(0);
		second.channel.close(CloseReason.CLIENT_GONE);
		this.manual.runAll();
		publisher.emit("0");
		this.timer.runDue();
		this.manual.runAll();
		assertThat(run.outcome()).contains(SseRun.Outcome.ORPHANED);
		assertThat(publisher.cancels).hasValue(1);
		assertThat(this.runs.ended(SseRun.Outcome.ORPHANED)).isEqualTo(1);
		assertThat(this.runs.active()).isZero();
		// what it produced stays for the retention
		Client third = attach(run, null);
		this.manual.runAll();
		assertThat(third.transport.text()).isEqualTo(events(run, 0, 1));
		assertThat(third.closes).containsExactly(CloseReason.COMPLETED);
		this.timer.runDue();
		this.manual.runAll();
		assertThat(publisher.cancels).hasValue(1);
	}

	@Test
	void aRunStartedAndNeverAttachedToIsOrphaned() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		this.timer.runDue();
		this.manual.runAll();
		assertThat(run.outcome()).contains(SseRun.Outcome.ORPHANED);
		assertThat(publisher.cancels).hasValue(1);
	}

	@Test
	void aStopCancelsThePublisherOnceAndEndsEveryAttachedStreamAfterWhatWasStored() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client client = attach(run, null);
		publisher.emit("0", "1");
		assertThat(this.runs.stop(run.id())).isTrue();
		assertThat(this.runs.stop(run.id())).isFalse();
		assertThat(this.runs.stop("unknown")).isFalse();
		// an item already on its way when the stop came is not stored
		publisher.emit("late");
		this.manual.runAll();
		assertThat(client.transport.text()).isEqualTo(events(run, 0, 2));
		assertThat(client.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(publisher.cancels).hasValue(1);
		assertThat(run.outcome()).contains(SseRun.Outcome.STOPPED);
		assertThat(this.runs.ended(SseRun.Outcome.STOPPED)).isEqualTo(1);
	}

	@Test
	void anErrorEndsEveryStreamWithTheRunsErrorEventAndNoTrace() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		Client client = attach(run, null);
		publisher.emit("0");
		publisher.fail(new IllegalStateException("model unavailable"));
		this.manual.runAll();
		String error = "event: error\nid: " + run.id() + ":1\ndata: model unavailable\n\n";
		assertThat(client.transport.text()).isEqualTo(events(run, 0, 1) + error);
		assertThat(client.closes).containsExactly(CloseReason.ERROR);
		Client later = attach(run, run.id() + ":0");
		this.manual.runAll();
		assertThat(later.transport.text()).isEqualTo(error);
		assertThat(later.closes).containsExactly(CloseReason.ERROR);
		assertThat(run.attach(new Client().channel, run.id() + ":1")).isFalse();
		assertThat(this.runs.ended(SseRun.Outcome.ERROR)).isEqualTo(1);
	}

	@Test
	void aFinishedRunIsForgottenAfterTheRetention() {
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		attach(run, null);
		this.timer.runDue();
		publisher.complete();
		this.manual.runAll();
		assertThat(this.runs.find(run.id())).containsSame(run);
		this.timer.runDue();
		assertThat(this.runs.find(run.id())).isEmpty();
		assertThat(this.runs.held()).isZero();
	}

	@Test
	void aRunKeepsAtMostItsMaximumOfEventsAndAClientFromBeforeThemIsToldSo() {
		this.runs = runs(3);
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = this.runs.start(publisher);
		this.manual.runAll();
		publisher.emit("0", "1", "2", "3", "4");
		Client client = attach(run, null);
		this.manual.runAll();
		assertThat(client.transport.text()).isEqualTo("event: sse-reset\nid: " + run.id() + ":1\ndata: " + run.id()
				+ "\n\n" + events(run, 2, 5));
		Client resumed = attach(run, run.id() + ":2");
		this.manual.runAll();
		assertThat(resumed.transport.text()).isEqualTo(events(run, 3, 5));
	}

	@Test
	void aThousandRunsAtOnceEachKeepTheirMaximumAndAreAllCancelledAndForgotten() {
		this.runs = runs(50);
		List<ManualPublisher> publishers = new ArrayList<>();
		List<SseRun> started = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			ManualPublisher publisher = new ManualPublisher();
			publishers.add(publisher);
			started.add(this.runs.start(publisher));
		}
		this.manual.runAll();
		for (ManualPublisher publisher : publishers) {
			publisher.emit(IntStream.range(0, 100).mapToObj(Integer::toString).toArray());
		}
		assertThat(this.runs.active()).isEqualTo(1_000);
		assertThat(started).extracting(SseRun::id).doesNotHaveDuplicates();
		// any run holds its last 50 events only
		SseRun one = started.get(500);
		Client client = attach(one, null);
		this.manual.runAll();
		assertThat(client.transport.text()).startsWith("event: sse-reset\nid: " + one.id() + ":49\n")
			.endsWith(events(one, 50, 100));
		client.channel.close(CloseReason.CLIENT_GONE);
		this.manual.runAll();
		// nobody attached for the orphan timeout: every one cancelled, once
		this.timer.runDue();
		this.manual.runAll();
		this.timer.runDue();
		this.manual.runAll();
		assertThat(this.runs.active()).isZero();
		assertThat(this.runs.ended(SseRun.Outcome.ORPHANED)).isEqualTo(1_000);
		assertThat(publishers).allSatisfy((publisher) -> assertThat(publisher.cancels).hasValue(1));
		// and forgotten after their retention
		this.timer.runDue();
		assertThat(this.runs.held()).isZero();
	}

	@Test
	void theSettingsAreChecked() {
		assertThat(catchThrowable(
				() -> new InMemorySseRuns(Duration.ZERO, Duration.ofMinutes(1), 10)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("sse.runs.orphan-timeout");
		assertThat(catchThrowable(
				() -> new InMemorySseRuns(Duration.ofSeconds(1), Duration.ofMinutes(1), 0)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("sse.runs.max-events");
	}

	private Client attach(SseRun run, String lastEventId) {
		Client client = new Client();
		assertThat(run.attach(client.channel, lastEventId)).isTrue();
		client.channel.start();
		return client;
	}

	private static String events(SseRun run, int from, int to) {
		return IntStream.range(from, to)
			.mapToObj((i) -> "id: " + run.id() + ":" + i + "\ndata: " + i + "\n\n")
			.collect(Collectors.joining());
	}

	private final class Client {

		final NonBlockingTransport transport = new NonBlockingTransport();

		final List<CloseReason> closes = new CopyOnWriteArrayList<>();

		final DefaultEventChannel channel;

		Client() {
			this.channel = DefaultEventChannel.builder(this.transport)
				.settings(new ChannelSettings(16, OverflowPolicy.BLOCK, Duration.ofSeconds(5)))
				.executor(InMemorySseRunsTests.this.manual)
				.publisherExecutor(InMemorySseRunsTests.this.manual)
				.build();
			this.channel.onClose(this.closes::add);
			InMemorySseRunsTests.this.clients.add(this);
		}

	}

}

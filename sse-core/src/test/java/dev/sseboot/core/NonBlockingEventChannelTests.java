package dev.sseboot.core;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A channel over a non-blocking transport: it writes only while the transport is ready, lets events wait in its
 * buffer (where the overflow policy applies) while it is not, resumes on the transport's callback, and ends a
 * connection it cannot trust to read by aborting it.
 */
class NonBlockingEventChannelTests extends AbstractManualChannelTests {

	@Test
	void startsTheTransportOnceBeforeTouchingIt() {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
		channel.send("early");
		this.manual.runAll();
		assertThat(this.transport.starts).hasValue(0);
		channel.start();
		channel.start();
		this.manual.runAll();
		assertThat(this.transport.starts).hasValue(1);
		assertThat(this.transport.text()).isEqualTo("data: early\n\n");
	}

	@Test
	void writesOnlyWhileReadyAndResumesInOneWriteWhenTheTransportCallsBack() {
		DefaultEventChannel channel = channel(8, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
		channel.start();
		this.transport.stall();
		for (String data : List.of("a", "b", "c")) {
			assertThat(channel.send(data)).isTrue();
		}
		this.manual.runAll();
		assertThat(this.transport.writes).isEmpty();
		this.transport.release();
		assertThat(this.manual.pending()).as("the callback requests a drain").isOne();
		this.manual.runAll();
		assertThat(this.transport.writes).hasSize(1);
		assertThat(this.transport.text()).isEqualTo("data: a\n\ndata: b\n\ndata: c\n\n");
		assertThat(channel.eventsSent()).isEqualTo(3);
	}

	@Test
	void aStalledClientMeetsTheOverflowPolicyAtOnceAndIsAborted() {
		DefaultEventChannel channel = channel(2, OverflowPolicy.CLOSE, Duration.ofSeconds(1));
		channel.start();
		this.transport.stalled = true;
		assertThat(channel.send("written, never taken")).isTrue();
		this.manual.runAll();
		assertThat(channel.send("queued 1")).isTrue();
		assertThat(channel.send("queued 2")).isTrue();
		assertThat(channel.send("refused")).isFalse();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(this.transport.aborts).hasValue(1);
		assertThat(this.transport.gracefulCloses).hasValue(0);
		assertThat(channel.eventsSent()).isEqualTo(1);
		assertThat(channel.eventsDropped()).isEqualTo(3);
	}

	@Test
	void dropPoliciesKeepAStalledClientOpen() {
		DefaultEventChannel channel = channel(2, OverflowPolicy.DROP_OLDEST, Duration.ofSeconds(1));
		channel.start();
		this.transport.stalled = true;
		channel.send("1");
		this.manual.runAll();
		for (String data : List.of("2", "3", "4", "5")) {
			assertThat(channel.send(data)).isTrue();
		}
		this.manual.runAll();
		assertThat(channel.isOpen()).isTrue();
		assertThat(channel.eventsDropped()).isEqualTo(2);
		this.transport.release();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: 1\n\ndata: 4\n\ndata: 5\n\n");
		assertThat(this.closes).isEmpty();
	}

	@Test
	void closeWritesWhatWasAcceptedOnceTheClientTakesItThenEndsGracefully() {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofSeconds(30));
		channel.start();
		this.transport.stalled = true;
		channel.send("first");
		this.manual.runAll();
		channel.send("last");
		channel.close();
		this.manual.runAll();
		assertThat(this.closes).isEmpty();
		assertThat(channel.isOpen()).isFalse();
		this.transport.release();
		this.manual.runAll();
		// the last write was handed over, but not yet taken: still no end
		assertThat(this.closes).isEmpty();
		this.transport.release();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(this.transport.text()).isEqualTo("data: first\n\ndata: last\n\n");
		assertThat(this.transport.gracefulCloses).hasValue(1);
		assertThat(this.transport.aborts).hasValue(0);
	}

	@Test
	void closeWaitsNoLongerThanTheSendTimeoutForAClientThatTakesNothing() {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofMillis(200));
		channel.start();
		this.transport.stalled = true;
		channel.send("written, never taken");
		this.manual.runAll();
		channel.send("queued");
		long start = System.nanoTime();
		channel.close();
		this.manual.runAll();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.manual.pending() > 0);
		this.manual.runAll();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(channel.eventsDropped()).isEqualTo(1);
		assertThat(this.transport.aborts).hasValue(1);
	}

	@Test
	void aClientThatTakesEverythingInTimeCompletesWithoutWaitingForTheDeadline() {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ZERO);
		channel.start();
		channel.send("a");
		channel.close();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
	}

	@Test
	void noHeartbeatWhileNotReadyAndOneOnceReady() {
		Heartbeat heartbeat = Heartbeat.manual();
		long[] now = { 0 };
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport)
			.executor(this.manual)
			.nanoClock(() -> now[0])
			.heartbeat(heartbeat, Duration.ofSeconds(1))
			.build();
		channel.start();
		this.manual.runAll();
		this.transport.stall();
		now[0] = Duration.ofSeconds(2).toNanos();
		heartbeat.tick();
		this.manual.runAll();
		heartbeat.tick();
		assertThat(this.manual.pending()).as("one heartbeat requested, not one per tick").isZero();
		int before = this.transport.writes.size();
		this.transport.release();
		this.manual.runAll();
		assertThat(this.transport.writes).hasSize(before + 1);
		assertThat(this.transport.text()).endsWith(":\n\n");
	}

	@ParameterizedTest
	@EnumSource(value = CloseReason.class, names = { "SLOW_CONSUMER", "CLIENT_GONE", "ERROR" })
	void abortsTheConnectionOfAClientItCannotTrustToRead(CloseReason reason) {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
		channel.start();
		channel.close(reason);
		this.manual.runAll();
		assertThat(this.closes).containsExactly(reason);
		assertThat(this.transport.aborts).hasValue(1);
		assertThat(this.transport.gracefulCloses).hasValue(0);
	}

	@ParameterizedTest
	@EnumSource(value = CloseReason.class, names = { "TIMEOUT", "SHUTDOWN", "COMPLETED" })
	void endsGracefullyForAReasonOfTheServers(CloseReason reason) {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofSeconds(1));
		channel.start();
		channel.close(reason);
		this.manual.runAll();
		assertThat(this.closes).containsExactly(reason);
		assertThat(this.transport.gracefulCloses).hasValue(1);
		assertThat(this.transport.aborts).hasValue(0);
	}

}

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
	void dropPoliciesKeepAStalledClientOpenWithinTheSendTimeout() {
		DefaultEventChannel channel = channel(2, OverflowPolicy.DROP_OLDEST, Duration.ofMinutes(1));
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

	@ParameterizedTest
	@EnumSource(OverflowPolicy.class)
	void aClientThatTakesNoByteForTheSendTimeoutIsClosedAsASlowConsumerWhateverThePolicy(OverflowPolicy policy) {
		DefaultEventChannel channel = channel(4, policy, Duration.ofMillis(200));
		channel.start();
		this.transport.stalled = true;
		channel.send("written, never taken");
		this.manual.runAll();
		long stalledAt = System.nanoTime();
		// nothing overflows: without the rule, the stream would wait for this client for ever
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.manual.runAll();
			return !this.closes.isEmpty();
		});
		assertThat(Duration.ofNanos(System.nanoTime() - stalledAt)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(this.transport.aborts).hasValue(1);
	}

	@Test
	void aClientThatTakesBytesSlowlyIsNotASlowConsumer() {
		DefaultEventChannel channel = channel(4, OverflowPolicy.BLOCK, Duration.ofMillis(500));
		channel.start();
		this.transport.stalled = true;
		long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
		int sent = 0;
		// one write taken every 25 ms: never the send timeout without a byte taken
		while (System.nanoTime() < until) {
			channel.send("e" + sent++);
			this.manual.runAll();
			LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
			this.transport.release();
			this.manual.runAll();
		}
		assertThat(this.closes).isEmpty();
		assertThat(channel.eventsSent()).isEqualTo(sent);
	}

	@Test
	void endingWithRetryNeverWaitsForRoomEvenUnderBlock() {
		// the shared timer ends streams (max-lifetime, an authorization's deadline): it must never wait for a client
		DefaultEventChannel channel = channel(2, OverflowPolicy.BLOCK, Duration.ofHours(1));
		channel.start();
		this.transport.stalled = true;
		channel.send("a");
		this.manual.runAll();
		channel.send("b");
		channel.send("c");
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> channel.close(Duration.ofSeconds(3)));
		this.transport.stalled = false;
		this.transport.release();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: a\n\ndata: b\n\ndata: c\n\nretry: 3000\n\n");
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(channel.eventsDropped()).isZero();
	}

	@Test
	void anAuthorizationsEndWritesNothingMoreButTheRetryAndNeverWaits() {
		DefaultEventChannel channel = channel(2, OverflowPolicy.BLOCK, Duration.ofHours(1));
		channel.start();
		this.transport.stalled = true;
		channel.send("a");
		this.manual.runAll();
		channel.send("b");
		channel.send("c");
		assertTimeoutPreemptively(Duration.ofSeconds(10),
				() -> channel.end(CloseReason.UNAUTHORIZED, Duration.ofSeconds(3)));
		assertThat(channel.send("after the deadline")).isFalse();
		this.transport.stalled = false;
		this.transport.release();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: a\n\nretry: 3000\n\n");
		assertThat(this.closes).containsExactly(CloseReason.UNAUTHORIZED);
		assertThat(channel.eventsDropped()).isEqualTo(2);
		assertThat(this.transport.gracefulCloses).hasValue(1);
	}

	@Test
	void aReplayQueuedBeforeAnAuthorizationsEndIsNeverWritten() {
		DefaultEventChannel channel = channel(8, OverflowPolicy.BLOCK, Duration.ofSeconds(5));
		EncodedEvents[] replay = { EncodedEvents.of("id: 1\ndata: secret 1\n\n".getBytes(StandardCharsets.UTF_8)),
				EncodedEvents.of("id: 2\ndata: secret 2\n\n".getBytes(StandardCharsets.UTF_8)) };
		channel.sendEncoded(replay, OverflowPolicy.CLOSE);
		channel.end(CloseReason.UNAUTHORIZED, Duration.ofSeconds(2));
		channel.start();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("retry: 2000\n\n");
		assertThat(this.closes).containsExactly(CloseReason.UNAUTHORIZED);
		assertThat(channel.eventsDropped()).isEqualTo(2);
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
		long[] now = { 0 };
		Heartbeat heartbeat = Heartbeat.manual(() -> now[0]);
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

package dev.sseboot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DefaultEventChannelTests {

	private final RecordingTransport transport = new RecordingTransport();

	private final ManualExecutor manual = new ManualExecutor();

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	private final ExecutorService drains = Executors.newFixedThreadPool(2, (runnable) -> {
		Thread thread = new Thread(runnable, "test-drain");
		thread.setDaemon(true);
		return thread;
	});

	@AfterEach
	void stopDrains() {
		this.drains.shutdownNow();
		assertThat(this.transport.violations).isEmpty();
	}

	private DefaultEventChannel channel(ChannelSettings settings, Executor executor) {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).settings(settings).executor(executor)
			.build();
		channel.onClose(this.closes::add);
		return channel;
	}

	private DefaultEventChannel manualChannel(int bufferSize, OverflowPolicy policy) {
		return channel(new ChannelSettings(bufferSize, policy, Duration.ofMillis(100)), this.manual);
	}

	@Test
	void neverWritesOnTheSendersThread() {
		DefaultEventChannel channel = channel(ChannelSettings.defaults(), this.drains);
		channel.start();
		channel.send("a");
		await().until(() -> this.transport.text().equals("data: a\n\n"));
		assertThat(this.transport.writerThreads).containsOnly("test-drain");
	}

	@Test
	void writesNothingBeforeStart() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.send("a");
		this.manual.runAll();
		assertThat(this.transport.writes).isEmpty();
		channel.start();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: a\n\n");
	}

	@Test
	void coalescesEverythingQueuedIntoOneWrite() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		for (int i = 0; i < 5; i++) {
			assertThat(channel.send(SseEvent.builder().id(String.valueOf(i)).data("e" + i).build())).isTrue();
		}
		this.manual.runAll();
		assertThat(this.transport.writes).hasSize(1);
		assertThat(this.transport.flushes).as("a write pushes its bytes itself").hasValue(0);
		assertThat(this.transport.text()).isEqualTo(
				"id: 0\ndata: e0\n\nid: 1\ndata: e1\n\nid: 2\ndata: e2\n\nid: 3\ndata: e3\n\nid: 4\ndata: e4\n\n");
		assertThat(channel.eventsSent()).isEqualTo(5);
		assertThat(channel.bytesSent()).isEqualTo(this.transport.text().length());
	}

	@Test
	void blockDoesNotWaitForRoomBeforeStartSinceNothingCouldMakeIt() {
		DefaultEventChannel channel = channel(new ChannelSettings(1, OverflowPolicy.BLOCK, Duration.ofSeconds(30)),
				this.manual);
		assertThat(channel.send("fits")).isTrue();
		// waiting would stall the sender (an endpoint method, whose return starts the channel) for 30 s
		boolean accepted = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> channel.send("does not fit"));
		assertThat(accepted).isFalse();
		channel.start();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(channel.eventsDropped()).isEqualTo(2);
		assertThat(this.transport.writes).isEmpty();
	}

	@Test
	void writesABlockQueuedAsOneItemInWritesOfAboutTheBudget() {
		DefaultEventChannel channel = manualChannel(1, OverflowPolicy.CLOSE);
		channel.start();
		this.manual.runAll();
		EncodedEvents[] block = new EncodedEvents[10];
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < block.length; i++) {
			String event = "data: " + String.valueOf((char) ('a' + i)).repeat(20 * 1024) + "\n\n";
			block[i] = EncodedEvents.of(event.getBytes(StandardCharsets.UTF_8));
			expected.append(event);
		}
		// one item of a buffer of one, however many events it holds
		assertThat(channel.sendEncoded(block, OverflowPolicy.CLOSE)).isTrue();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo(expected.toString());
		assertThat(this.transport.writes).hasSizeGreaterThan(1)
			.allSatisfy((write) -> assertThat(write.length).isLessThanOrEqualTo(DefaultEventChannel.WRITE_BUDGET));
		assertThat(channel.eventsSent()).isEqualTo(10);
	}

	@Test
	void flushesTheResponseHeadOnStartEvenWithNothingToWrite() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		this.manual.runAll();
		assertThat(this.transport.writes).isEmpty();
		assertThat(this.transport.flushes).hasValue(1);
		channel.send("a");
		this.manual.runAll();
		assertThat(this.transport.flushes).hasValue(1);
		assertThat(this.transport.text()).isEqualTo("data: a\n\n");
	}

	@Test
	void writesPreambleFirstAndOnce() {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).executor(this.manual)
			.preamble("retry: 3000\n\n".getBytes()).build();
		channel.send("a");
		channel.start();
		this.manual.runAll();
		channel.send("b");
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("retry: 3000\n\ndata: a\n\ndata: b\n\n");
		assertThat(channel.eventsSent()).isEqualTo(2);
	}

	@Test
	void writesPreambleAloneWhenNothingIsQueued() {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).executor(this.manual)
			.preamble("retry: 10\n\n".getBytes()).build();
		channel.start();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("retry: 10\n\n");
		assertThat(channel.eventsSent()).isZero();
	}

	@Test
	void closeWritesWhatWasAcceptedThenEndsTheResponseOnce() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		channel.send("a");
		channel.send("b");
		channel.close();
		assertThat(channel.isOpen()).isFalse();
		assertThat(channel.send("late")).isFalse();
		channel.close();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: a\n\ndata: b\n\n");
		assertThat(this.transport.closes).hasValue(1);
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
		assertThat(channel.closeReason()).contains(CloseReason.COMPLETED);
		assertThat(channel.eventsDropped()).isZero();
	}

	@Test
	void closeForAnotherReasonDiscardsQueuedEventsAndCountsThem() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		channel.send("a");
		channel.send("b");
		channel.close(CloseReason.SHUTDOWN);
		channel.close(CloseReason.TIMEOUT);
		this.manual.runAll();
		assertThat(this.transport.writes).isEmpty();
		assertThat(this.transport.closes).hasValue(1);
		assertThat(this.closes).containsExactly(CloseReason.SHUTDOWN);
		assertThat(channel.eventsDropped()).isEqualTo(2);
	}

	@Test
	void clientGoneDuringGracefulCloseIsReportedAsClientGone() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		channel.send("a");
		channel.close();
		channel.close(CloseReason.CLIENT_GONE);
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.CLIENT_GONE);
		assertThat(channel.eventsDropped()).isEqualTo(1);
	}

	@Test
	void failedWriteClosesAsClientGoneAndCountsTheLostBatch() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		channel.start();
		this.transport.failWrites = true;
		channel.send("a");
		channel.send("b");
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.CLIENT_GONE);
		assertThat(channel.eventsSent()).isZero();
		assertThat(channel.eventsDropped()).isEqualTo(2);
		assertThat(channel.send("c")).isFalse();
		assertThat(this.transport.closes).hasValue(1);
	}

	@Test
	void onCloseAfterCloseRunsAtOnceAndThrowingCallbacksDoNotStopOthers() {
		DefaultEventChannel channel = manualChannel(8, OverflowPolicy.BLOCK);
		List<String> calls = new ArrayList<>();
		channel.onClose((reason) -> {
			throw new IllegalStateException("boom");
		});
		channel.onClose((reason) -> calls.add("second " + reason));
		channel.close(CloseReason.ERROR);
		this.manual.runAll();
		channel.onClose((reason) -> calls.add("late " + reason));
		assertThat(calls).containsExactly("second ERROR", "late ERROR");
	}

	@Test
	void reportsSendsDropsAndCloseThroughTheListener() {
		List<String> seen = new CopyOnWriteArrayList<>();
		AtomicReference<DefaultEventChannel> self = new AtomicReference<>();
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).executor(this.manual)
			.settings(new ChannelSettings(1, OverflowPolicy.DROP_NEWEST, Duration.ZERO))
			.listener(new ChannelListener() {

				@Override
				public void onSent(EventChannel ch, int events, int bytes) {
					seen.add("sent " + events + "/" + bytes);
				}

				@Override
				public void onDropped(EventChannel ch, int events) {
					seen.add("dropped " + events);
				}

				@Override
				public void onClosed(EventChannel ch, CloseReason reason) {
					seen.add("closed " + reason + " sent=" + self.get().eventsSent() + " dropped="
							+ self.get().eventsDropped());
				}

			})
			.build();
		self.set(channel);
		channel.start();
		channel.send("a");
		channel.send("b");
		this.manual.runAll();
		channel.close();
		this.manual.runAll();
		assertThat(seen).containsExactly("dropped 1", "sent 1/9", "closed COMPLETED sent=1 dropped=1");
	}

	@Test
	void dropOldestKeepsTheNewestAtTheBoundary() {
		DefaultEventChannel channel = manualChannel(3, OverflowPolicy.DROP_OLDEST);
		channel.start();
		for (String data : List.of("1", "2", "3")) {
			assertThat(channel.send(data)).isTrue();
		}
		assertThat(channel.eventsDropped()).isZero();
		assertThat(channel.send("4")).isTrue();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: 2\n\ndata: 3\n\ndata: 4\n\n");
		assertThat(channel.eventsDropped()).isEqualTo(1);
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void dropNewestKeepsTheBufferedAtTheBoundary() {
		DefaultEventChannel channel = manualChannel(3, OverflowPolicy.DROP_NEWEST);
		channel.start();
		for (String data : List.of("1", "2", "3", "4")) {
			assertThat(channel.send(data)).isTrue();
		}
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
		assertThat(channel.eventsDropped()).isEqualTo(1);
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void closePolicyClosesSlowConsumerAtTheBoundary() {
		DefaultEventChannel channel = manualChannel(3, OverflowPolicy.CLOSE);
		channel.start();
		for (String data : List.of("1", "2", "3")) {
			assertThat(channel.send(data)).isTrue();
		}
		assertThat(channel.isOpen()).isTrue();
		assertThat(channel.send("4")).isFalse();
		this.manual.runAll();
		assertThat(this.transport.writes).isEmpty();
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(channel.eventsDropped()).isEqualTo(4);
	}

	@Test
	void blockPolicyClosesSlowConsumerAfterSendTimeout() {
		DefaultEventChannel channel = manualChannel(2, OverflowPolicy.BLOCK);
		channel.start();
		assertThat(channel.send("1")).isTrue();
		assertThat(channel.send("2")).isTrue();
		assertThat(channel.send("3")).isFalse();
		this.manual.runAll();
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(channel.eventsDropped()).isEqualTo(3);
	}

	@Test
	void blockPolicyWaitsForRoomAndLosesNothing() throws Exception {
		DefaultEventChannel channel = channel(new ChannelSettings(2, OverflowPolicy.BLOCK, Duration.ofMinutes(1)),
				this.manual);
		channel.start();
		channel.send("1");
		channel.send("2");
		AtomicBoolean third = new AtomicBoolean();
		Thread producer = new Thread(() -> third.set(channel.send("3")));
		producer.start();
		await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);
		this.manual.runAll();
		producer.join(10_000);
		assertThat(third).isTrue();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
		assertThat(channel.eventsDropped()).isZero();
	}

	@Test
	void closeReleasesBlockedProducers() throws Exception {
		DefaultEventChannel channel = channel(new ChannelSettings(1, OverflowPolicy.BLOCK, Duration.ofMinutes(1)),
				this.manual);
		channel.start();
		channel.send("1");
		AtomicBoolean result = new AtomicBoolean(true);
		Thread producer = new Thread(() -> result.set(channel.send("2")));
		producer.start();
		await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);
		channel.close(CloseReason.SHUTDOWN);
		producer.join(10_000);
		assertThat(producer.isAlive()).isFalse();
		assertThat(result).isFalse();
	}

	@Test
	void interruptedProducerGetsFalseWithoutClosingTheChannel() throws Exception {
		DefaultEventChannel channel = channel(new ChannelSettings(1, OverflowPolicy.BLOCK, Duration.ofMinutes(1)),
				this.manual);
		channel.start();
		channel.send("1");
		AtomicBoolean result = new AtomicBoolean(true);
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		Thread producer = new Thread(() -> {
			result.set(channel.send("2"));
			stillInterrupted.set(Thread.currentThread().isInterrupted());
		});
		producer.start();
		await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);
		producer.interrupt();
		producer.join(10_000);
		assertThat(result).isFalse();
		assertThat(stillInterrupted).isTrue();
		assertThat(channel.isOpen()).isTrue();
		assertThat(channel.eventsDropped()).isEqualTo(1);
	}

	@Test
	void rejectedDrainClosesAsErrorWithoutWritingOnTheCallersThread() {
		Executor rejecting = (task) -> {
			throw new RejectedExecutionException("shut down");
		};
		DefaultEventChannel channel = channel(ChannelSettings.defaults(), rejecting);
		assertThat(channel.send("a")).isTrue();
		channel.start();
		assertThat(channel.send("b")).isFalse();
		assertThat(this.transport.writes).isEmpty();
		assertThat(this.transport.closes).hasValue(1);
		assertThat(this.closes).containsExactly(CloseReason.ERROR);
		assertThat(channel.eventsDropped()).isEqualTo(1);
	}

	@Test
	void exposesLastEventIdAndId() {
		DefaultEventChannel channel = DefaultEventChannel.builder(this.transport).id("c-1").lastEventId("é-41").build();
		assertThat(channel.id()).isEqualTo("c-1");
		assertThat(channel.lastEventId()).contains("é-41");
		assertThat(DefaultEventChannel.builder(this.transport).build().lastEventId()).isEmpty();
	}

	@Test
	void sendOfAnEventObjectSendsTheEvent() {
		DefaultEventChannel channel = manualChannel(4, OverflowPolicy.BLOCK);
		channel.start();
		Object event = SseEvent.of("tick", "1");
		channel.send(event);
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("event: tick\ndata: 1\n\n");
	}

}

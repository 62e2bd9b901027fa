package dev.sseboot.core.client;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SseClientTests {

	private final List<SseMessage> events = new CopyOnWriteArrayList<>();

	private final List<String> states = new CopyOnWriteArrayList<>();

	private ScriptedServer server;

	private SseClient client;

	@AfterEach
	void stop() {
		if (this.client != null) {
			this.client.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private SseClientBuilder client() {
		return SseClient.builder(this.server.uri()).listener(new SseClient.Listener() {

			@Override
			public void onEvent(SseMessage message) {
				SseClientTests.this.events.add(message);
			}

			@Override
			public void onStateChange(SseClient.State state, String detail) {
				SseClientTests.this.states.add(state.name());
			}

		});
	}

	@Test
	void reconnectsWithLastEventIdAndReceivesTheRest() throws Exception {
		this.server = new ScriptedServer(
				(s) -> s.open().send("retry: 20\n\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"),
				(s) -> {
					s.open().send("id: 3\ndata: c\n\n").hold();
				});
		this.client = client().header("X-Token", "t-1").build().start();
		await().until(() -> this.events.size() == 3);
		assertThat(this.events).containsExactly(new SseMessage("message", "a", "1"),
				new SseMessage("message", "b", "2"), new SseMessage("message", "c", "3"));
		assertThat(this.server.requests).hasSize(2);
		assertThat(this.server.requests.get(0).header("Last-Event-ID")).isNull();
		assertThat(this.server.requests.get(1).header("Last-Event-ID")).isEqualTo("2");
		assertThat(this.server.requests.get(1).header("X-Token")).isEqualTo("t-1");
		assertThat(this.server.requests.get(1).header("Accept")).isEqualTo("text/event-stream");
		assertThat(this.states).containsExactly("CONNECTING", "OPEN", "RECONNECTING", "CONNECTING", "OPEN");
		assertThat(this.client.connections()).isEqualTo(2);
	}

	@Test
	void sendsConfiguredLastEventIdOnFirstConnectionAndNoneAfterReset() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("retry: 10\n\nid\ndata: x\n\n"),
				(s) -> s.open().hold());
		this.client = client().lastEventId("41").build().start();
		await().until(() -> this.server.requests.size() == 2);
		assertThat(this.server.requests.get(0).header("Last-Event-ID")).isEqualTo("41");
		assertThat(this.server.requests.get(1).header("Last-Event-ID")).isNull();
	}

	@Test
	void waitsForTheServersRetryBeforeReconnecting() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("retry: 400\n\n"), (s) -> s.open().hold());
		this.client = client().build().start();
		await().until(() -> this.server.requests.size() == 2);
		long waited = this.server.requests.get(1).arrivedNanos() - this.server.endedNanos.get(0);
		assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(this.client.serverRetry()).contains(Duration.ofMillis(400));
	}

	@Test
	void backoffGrowsExponentiallyWithBoundedJitter() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
		DoubleSupplier low = () -> 0.0;
		DoubleSupplier high = () -> 0.999_999;
		assertThat(backoff.delay(1, low)).isEqualTo(Duration.ofMillis(50));
		assertThat(backoff.delay(1, high)).isEqualTo(Duration.ofMillis(100));
		assertThat(backoff.delay(3, low)).isEqualTo(Duration.ofMillis(200));
		assertThat(backoff.delay(3, high)).isEqualTo(Duration.ofMillis(400));
		assertThat(backoff.delay(30, high)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(1000, low)).isEqualTo(Duration.ofSeconds(1));
		List<Duration> samples = new ArrayList<>();
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 1000; i++) {
			samples.add(backoff.delay(4, random::nextDouble));
		}
		assertThat(samples).allSatisfy((d) -> assertThat(d).isBetween(Duration.ofMillis(400), Duration.ofMillis(800)));
		assertThat(samples.stream().distinct().count()).as("jitter spreads the delays").isGreaterThan(100);
	}

	@Test
	void usesBackoffWhenServerSentNoRetry() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("data: x\n\n"), (s) -> s.open().hold());
		this.client = client().backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(200))).build().start();
		await().until(() -> this.server.requests.size() == 2);
		long waited = this.server.requests.get(1).arrivedNanos() - this.server.endedNanos.get(0);
		assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
	}

	@Test
	void stopsForGoodOn204() throws Exception {
		this.server = new ScriptedServer((s) -> s.status(204, "text/plain"));
		this.client = client().build().start();
		// await what is asserted: the listener hears of a state after the state is set
		await().until(() -> this.states.contains("CLOSED"));
		assertThat(this.client.state()).isEqualTo(SseClient.State.CLOSED);
		assertThat(this.client.stopReason()).startsWith("204 No Content");
		assertThat(this.server.requests).hasSize(1);
		assertThat(this.states).containsExactly("CONNECTING", "CLOSED");
	}

	@Test
	void stopsForGoodOnServerError() throws Exception {
		this.server = new ScriptedServer((s) -> s.status(500, "text/plain").send("boom"));
		this.client = client().build().start();
		await().until(() -> this.client.state() == SseClient.State.CLOSED);
		assertThat(this.client.stopReason()).startsWith("HTTP 500");
		assertThat(this.server.requests).hasSize(1);
	}

	@Test
	void stopsForGoodOnWrongContentType() throws Exception {
		this.server = new ScriptedServer((s) -> s.status(200, "text/plain").send("data: no\n\n"));
		this.client = client().build().start();
		await().until(() -> this.client.state() == SseClient.State.CLOSED);
		assertThat(this.client.stopReason()).contains("is not text/event-stream");
		assertThat(this.events).isEmpty();
	}

	@Test
	void acceptsContentTypeWithCharset() throws Exception {
		this.server = new ScriptedServer((s) -> s.status(200, "text/event-stream;charset=UTF-8").send("data: y\n\n")
			.hold());
		this.client = client().build().start();
		await().until(() -> this.events.size() == 1);
		assertThat(this.events).containsExactly(SseMessage.of("y"));
	}

	@Test
	void readTimeoutTreatsSilentConnectionAsDropped() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("retry: 10\n\nid: 5\ndata: a\n\n").hold(),
				(s) -> s.open().hold());
		this.client = client().readTimeout(Duration.ofMillis(300)).build().start();
		await().until(() -> this.server.requests.size() == 2);
		assertThat(this.server.requests.get(1).header("Last-Event-ID")).isEqualTo("5");
	}

	@Test
	void heartbeatsKeepAConnectionWithReadTimeoutAlive() throws Exception {
		this.server = new ScriptedServer((s) -> {
			s.open();
			for (int i = 0; i < 12; i++) {
				s.send((i == 11) ? "data: done\n\n" : ":\n\n");
				// pace the server: 12 writes 100 ms apart span three read timeouts
				new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
			}
			s.hold();
		});
		this.client = client().readTimeout(Duration.ofMillis(400)).build().start();
		await().until(() -> this.events.size() == 1);
		assertThat(this.server.requests).hasSize(1);
	}

	@Test
	void closeDuringReconnectWaitStopsAtOnce() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("retry: 60000\n\n"));
		this.client = client().build().start();
		await().until(() -> this.client.state() == SseClient.State.RECONNECTING);
		this.client.close();
		assertThat(this.client.state()).isEqualTo(SseClient.State.CLOSED);
		assertThat(this.client.stopReason()).isEqualTo("closed by the client");
		assertThat(this.server.requests).hasSize(1);
	}

	@Test
	void closeWhileOpenDeliversNothingMore() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("data: one\n\n").hold());
		this.client = client().build().start();
		await().until(() -> this.events.size() == 1);
		this.client.close();
		assertThat(this.states).as("close() returns once its CLOSED was told").endsWith("CLOSED");
		assertThat(this.events).hasSize(1);
	}

	@Test
	void receivesTenMegabyteEvent() throws Exception {
		String payload = "0123456789".repeat(1024 * 1024);
		this.server = new ScriptedServer((s) -> s.open().send("data: " + payload + "\n\n").hold());
		this.client = client().build().start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.events.size() == 1);
		assertThat(this.events.get(0).data()).isEqualTo(payload);
	}

	@Test
	void pollsEventsFromBoundedQueueWithoutListener() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("data: 1\n\ndata: 2\n\n").hold());
		this.client = SseClient.builder(this.server.uri()).queueCapacity(1).build().start();
		assertThat(this.client.poll(Duration.ofSeconds(10))).contains(SseMessage.of("1"));
		assertThat(this.client.poll(Duration.ofSeconds(10))).contains(SseMessage.of("2"));
		assertThat(this.client.poll(Duration.ofMillis(50))).isEmpty();
	}

	@RepeatedTest(30)
	void aCloseRacingTheResponseIsTheLastStateAndNeverUndone() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("data: a\n\n").hold());
		CountDownLatch connecting = new CountDownLatch(1);
		this.client = client().listener(new SseClient.Listener() {

			@Override
			public void onEvent(SseMessage message) {
				SseClientTests.this.events.add(message);
			}

			@Override
			public void onStateChange(SseClient.State state, String detail) {
				SseClientTests.this.states.add(state.name());
				if (state == SseClient.State.CONNECTING) {
					connecting.countDown();
				}
			}

		}).build().start();
		assertThat(connecting.await(10, TimeUnit.SECONDS)).isTrue();
		// close while the response may be arriving: sometimes before it, sometimes during, sometimes after
		LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 3_000_000));
		this.client.close();
		assertThat(this.states).as("close() returns once its CLOSED was told").endsWith("CLOSED");
		int told = this.states.size();
		int received = this.events.size();
		// nothing after CLOSED: no state told, no event delivered, for a while
		await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
			.until(() -> this.states.size() == told && this.events.size() == received);
		assertThat(this.client.state()).isEqualTo(SseClient.State.CLOSED);
		assertThat(this.states).containsOnlyOnce("CLOSED");
	}

	@Test
	void closeWakesAReaderWaitingForRoomInTheQueueAndAPoll() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("data: 1\n\ndata: 2\n\ndata: 3\n\n").hold());
		this.client = SseClient.builder(this.server.uri()).queueCapacity(1).build().start();
		// the queue holds one event; the connection's reader waits for room for the next
		await().until(() -> threadsInside("dev.sseboot.core.client").stream().anyMatch((t) -> t.contains("put")));
		CompletableFuture<Optional<SseMessage>> poller = new CompletableFuture<>();
		this.client.close();
		Thread poll = new Thread(() -> {
			try {
				poller.complete(this.client.poll(Duration.ofSeconds(30)));
			}
			catch (InterruptedException ex) {
				poller.completeExceptionally(ex);
			}
		});
		poll.start();
		assertThat(poller.get(5, TimeUnit.SECONDS)).as("nothing is taken after close").isEmpty();
		await().until(() -> threadsInside("dev.sseboot.core.client").isEmpty());
	}

	@Test
	void aWatchdogNeverOutlivesItsConnection() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().hold());
		for (int i = 0; i < 50; i++) {
			try (SseClient racing = SseClient.builder(this.server.uri()).readTimeout(Duration.ofSeconds(30))
				.listener((m) -> {
				})
				.build()
				.start()) {
				LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 2_000_000));
			}
		}
		await().until(() -> SseClient.pendingTimers() == 0);
	}

	@Test
	void aServersRetryIsNeverShortenedAndSpreadsAndGrowsOnFailures() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
		Duration retry = Duration.ofMillis(3000);
		assertThat(backoff.delay(1, retry, () -> 0.0)).isEqualTo(Duration.ofMillis(3000));
		assertThat(backoff.delay(1, retry, () -> 0.999_999)).isEqualTo(Duration.ofMillis(4500));
		assertThat(backoff.delay(2, retry, () -> 0.0)).as("doubles on a consecutive failure")
			.isEqualTo(Duration.ofMillis(6000));
		assertThat(backoff.delay(10, retry, () -> 0.0)).as("capped at the backoff's max")
			.isEqualTo(Duration.ofSeconds(30));
		assertThat(backoff.delay(3, Duration.ofMinutes(2), () -> 0.0)).as("never below the server's value")
			.isEqualTo(Duration.ofMinutes(2));
		SplittableRandom random = new SplittableRandom(11);
		List<Duration> samples = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			samples.add(backoff.delay(1, retry, random::nextDouble));
		}
		assertThat(samples).allSatisfy((d) -> assertThat(d).isBetween(Duration.ofMillis(3000),
				Duration.ofMillis(4500)));
		assertThat(samples.stream().distinct().count()).as("clients told the same retry come back apart")
			.isGreaterThan(100);
	}

	@Test
	void aServerThatRefusesAfterSendingRetryIsNotHammeredAtThatRetry() throws Exception {
		this.server = new ScriptedServer((s) -> s.open().send("retry: 200\n\n"));
		List<Long> attempts = new CopyOnWriteArrayList<>();
		this.client = SseClient.builder(this.server.uri())
			.listener(new SseClient.Listener() {

				@Override
				public void onEvent(SseMessage message) {
				}

				@Override
				public void onStateChange(SseClient.State state, String detail) {
					if (state == SseClient.State.CONNECTING) {
						attempts.add(System.nanoTime());
					}
				}

			})
			.build().start();
		// the server goes away after telling the client its retry: every reconnect is refused
		await().pollInterval(Duration.ofMillis(5)).until(() -> this.server.endedNanos.size() == 1);
		this.server.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() >= 4);
		this.client.close();
		Duration first = Duration.ofNanos(attempts.get(2) - attempts.get(1));
		Duration second = Duration.ofNanos(attempts.get(3) - attempts.get(2));
		assertThat(first).as("twice the retry after the first refusal").isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(second).as("and doubling").isGreaterThanOrEqualTo(Duration.ofMillis(800));
	}

	/** Stack traces of live threads that are inside a class of {@code prefix}, other than this test's. */
	private static List<String> threadsInside(String prefix) {
		List<String> found = new ArrayList<>();
		Thread.getAllStackTraces().forEach((thread, frames) -> {
			if (thread == Thread.currentThread()) {
				return;
			}
			for (StackTraceElement frame : frames) {
				if (frame.getClassName().startsWith(prefix) && !frame.getClassName().contains("Test")
						&& !frame.getClassName().contains("ScriptedServer")) {
					found.add(thread.getName() + " " + frame);
					return;
				}
			}
		});
		return found;
	}

	@Test
	void failedConnectionReconnectsWithBackoff() throws Exception {
		ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		int port = closed.getLocalPort();
		closed.close();
		this.server = new ScriptedServer((s) -> s.open().hold());
		this.client = SseClient.builder(URI.create("http://127.0.0.1:" + port + "/x"))
			.backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(40))).listener((m) -> {
			})
			.build().start();
		await().until(() -> this.client.state() == SseClient.State.RECONNECTING);
		this.client.close();
		assertThat(this.client.state()).isEqualTo(SseClient.State.CLOSED);
	}

}

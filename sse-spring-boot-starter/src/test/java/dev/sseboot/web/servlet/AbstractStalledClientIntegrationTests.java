package dev.sseboot.web.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseEvent;
import dev.sseboot.testsupport.RawSseClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading after the response head, next to healthy ones, on a real server: no thread waits on
 * them, they meet their overflow policy at once, their close is reported within a second and their connection is
 * closed without waiting for them. Subclasses pick the container. Application properties:
 * {@code sse.buffer.send-timeout=1s}.
 */
abstract class AbstractStalledClientIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	/** An 8 KB event. */
	static final String PAYLOAD = "x".repeat(8 * 1024);

	@LocalServerPort
	int port;

	@Autowired
	RecordingDisconnects disconnects;

	@Autowired
	SseStreams connections;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	MeterRegistry registry;

	private final List<RawSseClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(RawSseClient::close);
		OptionalLong inProgress = containerRequestsInProgress();
		if (inProgress.isPresent()) {
			// every request the container still holds is a stream of ours: an abort leaked none
			await().atMost(WAIT).until(() -> containerRequestsInProgress().getAsLong() == this.connections.size());
		}
	}

	/** The async requests the container holds, where it tells; graceful shutdown waits for each. */
	abstract OptionalLong containerRequestsInProgress();

	/** Opens {@code path} and reads up to the end of its first event, the connection's id; returns that id. */
	String open(String path, List<RawSseClient> into) throws IOException {
		RawSseClient client = RawSseClient.open(this.port, path);
		this.clients.add(client);
		into.add(client);
		assertThat(client.status()).isEqualTo(200);
		return client.readFirstEvent();
	}

	static DefaultEventChannel channel(String id) {
		return (DefaultEventChannel) TestEndpoints.CHANNELS.get(id);
	}

	/** Awaits a condition that holds within moments, checking it often. */
	static void awaitSoon(Callable<Boolean> condition) {
		await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(condition);
	}

	double active(String endpoint) {
		return this.registry.get("sse.connections.active").tag("endpoint", endpoint).gauge().value();
	}

	@Test
	void stalledSubscribersAreClosedAsSlowConsumersWhileHealthyOnesGetEveryEvent() throws Exception {
		int stalledCount = 100;
		int healthyCount = 20;
		int eventCount = 2000;
		List<RawSseClient> healthy = new ArrayList<>();
		List<RawSseClient> stalled = new ArrayList<>();
		Set<String> stalledIds = new HashSet<>();
		for (int i = 0; i < healthyCount; i++) {
			open("/stall/rooms/mixed", healthy);
		}
		healthy.forEach(RawSseClient::startReading);
		for (int i = 0; i < stalledCount; i++) {
			stalledIds.add(open("/stall/rooms/mixed", stalled));
		}
		await().atMost(WAIT).until(() -> active("/stall/rooms/{room}") == stalledCount + healthyCount);
		long slowestPublishNanos = 0;
		for (int i = 1; i <= eventCount; i++) {
			if (i % 32 == 0) {
				// keep within the healthy clients' buffers (64): they must keep up, not prove they can outrun a loop
				int published = i - 1;
				awaitSoon(() -> healthy.stream().allMatch((client) -> client.events() >= published - 32));
			}
			long start = System.nanoTime();
			this.broadcaster.publish("stall.mixed", SseEvent.builder().id(String.valueOf(i)).data(PAYLOAD).build());
			slowestPublishNanos = Math.max(slowestPublishNanos, System.nanoTime() - start);
		}
		List<String> expected = IntStream.rangeClosed(1, eventCount).mapToObj(String::valueOf).toList();
		await().atMost(WAIT).until(() -> healthy.stream().allMatch((client) -> client.events() >= eventCount));
		for (RawSseClient client : healthy) {
			assertThat(client.ids).containsExactlyElementsOf(expected);
			assertThat(client.isEnded()).isFalse();
		}
		await().atMost(WAIT).until(() -> stalledIds.stream().allMatch((id) -> !this.disconnects.of(id).isEmpty()));
		for (String id : stalledIds) {
			assertThat(this.disconnects.of(id)).singleElement()
				.satisfies((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SLOW_CONSUMER));
		}
		assertThat(active("/stall/rooms/{room}")).isEqualTo(healthyCount);
		// the connections are gone on the server too, though the clients never read again
		await().atMost(WAIT).until(() -> stalled.stream().allMatch(RawSseClient::isClosedByServer));
		// a publish that waited on a client would wait at least the send timeout (1 s)
		assertThat(Duration.ofNanos(slowestPublishNanos)).isLessThan(Duration.ofSeconds(1));
	}

	@ParameterizedTest
	@EnumSource(value = OverflowPolicy.class, names = { "BLOCK", "DROP_OLDEST", "DROP_NEWEST", "CLOSE" })
	void stalledClientsOfAnEndpointMeetItsOverflowPolicy(OverflowPolicy policy) throws Exception {
		String endpoint = "/stall/" + policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
		int stalledCount = 5;
		int eventCount = 200;
		// a client that reads nothing still takes its window and the server's send buffer (128 KB)
		int stalledEventCount = 200;
		List<RawSseClient> healthy = new ArrayList<>();
		List<RawSseClient> stalled = new ArrayList<>();
		String healthyId = open(endpoint, healthy);
		RawSseClient reader = healthy.get(0).startReading();
		List<String> stalledIds = new ArrayList<>();
		for (int i = 0; i < stalledCount; i++) {
			stalledIds.add(open(endpoint, stalled));
		}
		ExecutorService producers = Executors.newFixedThreadPool(stalledCount);
		try {
			List<Future<Outcome>> outcomes = new ArrayList<>();
			for (String id : stalledIds) {
				outcomes.add(producers.submit(() -> produce(channel(id), stalledEventCount)));
			}
			// the healthy client of the same endpoint keeps streaming meanwhile, every event in order
			DefaultEventChannel healthyChannel = channel(healthyId);
			for (int i = 1; i <= eventCount; i++) {
				int sent = i - 1;
				awaitSoon(() -> reader.events() >= sent - 8);
				assertThat(healthyChannel.send(SseEvent.builder().id(String.valueOf(i)).data(PAYLOAD).build()))
					.isTrue();
			}
			awaitSoon(() -> reader.events() == eventCount);
			assertThat(reader.ids).containsExactlyElementsOf(
					IntStream.rangeClosed(1, eventCount).mapToObj(String::valueOf).toList());
			for (int i = 0; i < stalledCount; i++) {
				Outcome outcome = outcomes.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
				DefaultEventChannel channel = channel(stalledIds.get(i));
				switch (policy) {
					case BLOCK, CLOSE -> {
						assertThat(outcome.refusedAt()).as("the send the full buffer refused").isPositive();
						if (policy == OverflowPolicy.BLOCK) {
							assertThat(outcome.lastSend()).as("BLOCK waits the send timeout first")
								.isGreaterThanOrEqualTo(Duration.ofMillis(900));
						}
						// within a second of the decision: listener called, meters counted, slot free
						await().atMost(Duration.ofSeconds(1)).until(() -> !this.disconnects.of(channel.id()).isEmpty());
						assertThat(this.disconnects.of(channel.id())).singleElement()
							.satisfies((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SLOW_CONSUMER));
					}
					default -> {
						assertThat(outcome.refusedAt()).as("DROP_* policies never refuse").isZero();
						assertThat(channel.eventsDropped()).isPositive();
						// but a client that takes no byte for the send timeout is a slow consumer, whatever the policy
						await().atMost(WAIT).until(() -> !this.disconnects.of(channel.id()).isEmpty());
						assertThat(this.disconnects.of(channel.id())).singleElement()
							.satisfies((d) -> assertThat(d.reason()).isEqualTo(CloseReason.SLOW_CONSUMER));
					}
				}
			}
			if (policy == OverflowPolicy.DROP_OLDEST || policy == OverflowPolicy.DROP_NEWEST) {
				String tag = policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
				double dropped = stalledIds.stream().mapToLong((id) -> channel(id).eventsDropped()).sum();
				assertThat(this.registry.get("sse.events.dropped").tags("endpoint", endpoint, "policy", tag).counter()
					.count()).isEqualTo(dropped);
			}
			assertThat(active(endpoint)).isEqualTo(1);
			assertThat(healthyChannel.isOpen()).isTrue();
			await().atMost(WAIT).until(() -> stalled.stream().allMatch(RawSseClient::isClosedByServer));
			healthyChannel.close();
			await().atMost(WAIT).until(reader::isEnded);
			assertThat(this.disconnects.awaitOne(healthyId).reason()).isEqualTo(CloseReason.COMPLETED);
		}
		finally {
			producers.shutdownNow();
		}
	}

	@Test
	void clientThatReadsSlowlyButKeepsUpIsNeverClosed() throws Exception {
		List<RawSseClient> clients = new ArrayList<>();
		String id = open("/stall/slow", clients);
		// about 1 KB/s; the endpoint has a buffer of 4 and heartbeats every 200 ms, the send timeout is 1 s
		RawSseClient reader = clients.get(0).startReading(128, Duration.ofMillis(125));
		DefaultEventChannel channel = channel(id);
		String data = "s".repeat(400);
		int eventCount = 8;
		for (int i = 1; i <= eventCount; i++) {
			int sent = i - 1;
			// 0.8 KB/s: below what the client reads, above what one heartbeat interval holds
			await().atMost(WAIT).pollDelay(Duration.ofMillis(500)).until(() -> reader.events() >= sent);
			assertThat(channel.send(SseEvent.builder().id(String.valueOf(i)).data(data).build())).isTrue();
		}
		channel.close();
		await().atMost(WAIT).until(reader::isEnded);
		assertThat(reader.ids).containsExactlyElementsOf(
				IntStream.rangeClosed(1, eventCount).mapToObj(String::valueOf).toList());
		SseDisconnect completed = this.disconnects.awaitOne(id);
		assertThat(completed).satisfies((d) -> {
			assertThat(d.reason()).isEqualTo(CloseReason.COMPLETED);
			assertThat(d.eventsDropped()).isZero();
		});
	}

	/** What a producer saw: which send (1-based) came back {@code false}, zero for none, and how long the last took. */
	record Outcome(int refusedAt, Duration lastSend) {
	}

	/** Sends {@code count} events of 8 KB as fast as the channel takes them; stops at the first refusal. */
	static Outcome produce(EventChannel channel, int count) {
		Duration last = Duration.ZERO;
		for (int i = 1; i <= count; i++) {
			long start = System.nanoTime();
			boolean accepted = channel.send(SseEvent.builder().id(String.valueOf(i)).data(PAYLOAD).build());
			last = Duration.ofNanos(System.nanoTime() - start);
			if (!accepted) {
				return new Outcome(i, last);
			}
		}
		return new Outcome(0, last);
	}

}

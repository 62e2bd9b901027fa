package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code @SseEndpoint} that returns an {@link SseRun}, over HTTP: the run's id in a header and in every event's
 * id, a re-attach from the start or after any event with nothing missed and nothing twice, 204 once there is nothing
 * left (or no such run), a client leaving that does not stop the run, the orphan timeout that does, a stop, an
 * error, and the {@code sse.runs.*} meters.
 */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.runs.orphan-timeout=1s")
class RunsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SseRuns runs;

	@Autowired
	MeterRegistry meters;

	@Test
	void aPostStreamsTheRunWithItsIdFirstAndAReattachGetsTheRestOrNothing() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/runs?tokens=5").post("application/json", "{}").open();
		started.awaitEnd(WAIT);
		assertThat(started.status()).isEqualTo(200);
		String id = started.header(SseRun.RUN_ID_HEADER);
		assertThat(id).matches("[A-Za-z0-9_-]{22}");
		assertThat(started.rawText()).isEqualTo(events(id, 0, 5));
		try (SseStream whole = client.open("/runs/" + id)) {
			whole.awaitEnd(WAIT);
			assertThat(whole.rawText()).isEqualTo(events(id, 0, 5));
		}
		for (int last = 0; last < 4; last++) {
			try (SseStream rest = client.request("/runs/" + id).lastEventId(id + ":" + last).open()) {
				rest.awaitEnd(WAIT);
				assertThat(rest.rawText()).as("after %d", last).isEqualTo(events(id, last + 1, 5));
			}
		}
		try (SseStream none = client.request("/runs/" + id).lastEventId(id + ":4").open()) {
			none.awaitEnd(WAIT);
			assertThat(none.status()).isEqualTo(204);
			assertThat(none.rawText()).isEmpty();
		}
		try (SseStream unknown = client.open("/runs/no-such-run")) {
			unknown.awaitEnd(WAIT);
			assertThat(unknown.status()).isEqualTo(204);
		}
	}

	@Test
	void aClientThatLeavesDoesNotStopTheRunAndResumesWithNothingMissed() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/runs?tokens=40&every=20").post("application/json", "{}").open();
		started.awaitEvents(3, WAIT);
		started.cut();
		String id = started.header(SseRun.RUN_ID_HEADER);
		await().atMost(WAIT).until(() -> this.runs.find(id).orElseThrow().isEnded());
		assertThat(this.runs.find(id).orElseThrow().outcome()).contains(SseRun.Outcome.COMPLETED);
		assertThat(TestEndpoints.Runs.CANCELS.get(id)).hasValue(0);
		try (SseStream resumed = client.request("/runs/" + id).lastEventId(started.lastEventId()).open()) {
			resumed.awaitEnd(WAIT);
			List<String> all = IntStream.range(0, 40).mapToObj((i) -> "token " + i).toList();
			List<String> seen = new ArrayList<>(data(started));
			seen.addAll(data(resumed));
			assertThat(seen).isEqualTo(all);
		}
	}

	@Test
	void aRunNobodyReadsIsCancelledAfterTheOrphanTimeoutOnce() throws Exception {
		double orphanedBefore = ended("orphaned");
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/runs?tokens=100000&every=10").post("application/json", "{}").open();
		started.awaitEvents(1, WAIT);
		String id = started.header(SseRun.RUN_ID_HEADER);
		long cut = System.nanoTime();
		started.cut();
		await().atMost(WAIT).until(() -> this.runs.find(id).orElseThrow().isEnded());
		assertThat(Duration.ofNanos(System.nanoTime() - cut)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertThat(this.runs.find(id).orElseThrow().outcome()).contains(SseRun.Outcome.ORPHANED);
		await().atMost(WAIT).until(() -> TestEndpoints.Runs.CANCELS.get(id).get() == 1);
		assertThat(ended("orphaned")).isEqualTo(orphanedBefore + 1);
		// what it produced is still there for a client that comes back
		try (SseStream back = client.request("/runs/" + id).lastEventId(started.lastEventId()).open()) {
			back.awaitEnd(WAIT);
			assertThat(back.status()).isIn(200, 204);
		}
		assertThat(TestEndpoints.Runs.CANCELS.get(id)).hasValue(1);
	}

	@Test
	void aStopFromAnotherRequestEndsTheAttachedStreamsAndCancelsOnce() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/runs?tokens=100000&every=10").post("application/json", "{}").open();
		started.awaitEvents(2, WAIT);
		String id = started.header(SseRun.RUN_ID_HEADER);
		try (SseStream second = client.open("/runs/" + id)) {
			second.awaitEvents(2, WAIT);
			assertThat(this.runs.stop(id)).isTrue();
			started.awaitEnd(WAIT);
			second.awaitEnd(WAIT);
			assertThat(data(second)).isEqualTo(data(started));
		}
		assertThat(this.runs.find(id).orElseThrow().outcome()).contains(SseRun.Outcome.STOPPED);
		await().atMost(WAIT).until(() -> TestEndpoints.Runs.CANCELS.get(id).get() == 1);
	}

	@Test
	void aFailedRunEndsWithItsErrorEventAndNoTraceAndIsNotResumedAfterIt() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		SseStream started = client.request("/runs?tokens=2&fail=the+model+is+overloaded")
			.post("application/json", "{}")
			.open();
		started.awaitEnd(WAIT);
		String id = started.header(SseRun.RUN_ID_HEADER);
		assertThat(started.rawText())
			.isEqualTo(events(id, 0, 2) + "event: error\nid: " + id + ":2\ndata: the model is overloaded\n\n");
		try (SseStream after = client.request("/runs/" + id).lastEventId(id + ":2").open()) {
			after.awaitEnd(WAIT);
			assertThat(after.status()).isEqualTo(204);
		}
		assertThat(ended("error")).isPositive();
		assertThat(this.meters.get("sse.runs.active").gauge().value()).isGreaterThanOrEqualTo(0);
	}

	private double ended(String outcome) {
		return this.meters.get("sse.runs.ended").tag("outcome", outcome).functionCounter().count();
	}

	private static List<String> data(SseStream stream) {
		return stream.events().stream().map(SseMessage::data).toList();
	}

	private static String events(String id, int from, int to) {
		StringBuilder text = new StringBuilder();
		for (int i = from; i < to; i++) {
			text.append("id: ").append(id).append(':').append(i).append("\ndata: token ").append(i).append("\n\n");
		}
		return text.toString();
	}

}

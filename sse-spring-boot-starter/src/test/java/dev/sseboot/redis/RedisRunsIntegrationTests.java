package dev.sseboot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRunSharing;
import dev.sseboot.core.SseRuns;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RedisInstances;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs in the Redis mode, two (and for one test three) instances on one real Redis: a client re-attaches on the
 * instance that does not run the run and gets exactly what it missed, a stop reaches the instance that runs it, a
 * client attached elsewhere keeps the run from being orphaned, and when the instance that runs it is gone, a client
 * attached elsewhere gets an {@code error} event within the lease.
 */
class RedisRunsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisInstances redis;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void start() throws Exception {
		redis = RedisInstances.start(2, "--sse.runs.orphan-timeout=2s", "--sse.runs.lease=900ms",
				"--sse.runs.retention=1m");
		a = redis.get(0);
		b = redis.get(1);
	}

	@AfterAll
	static void stop() throws Exception {
		if (redis != null) {
			redis.close();
		}
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return RedisInstances.client(context);
	}

	private static String events(String id, int from, int to) {
		StringBuilder text = new StringBuilder();
		for (int i = from; i < to; i++) {
			text.append("id: ").append(id).append(':').append(i).append("\ndata: token ").append(i).append("\n\n");
		}
		return text.toString();
	}

	private static SseStream start(ConfigurableApplicationContext on, int tokens, long every) throws Exception {
		SseStream started = client(on).request("/runs?tokens=" + tokens + "&every=" + every)
			.post("application/json", "{}")
			.open();
		assertThat(started.status()).isEqualTo(200);
		return started;
	}

	@Test
	void aClientReattachesOnTheOtherInstanceWithNothingMissedAndNothingTwice() throws Exception {
		SseStream started = start(a, 30, 30);
		String id = started.header(SseRun.RUN_ID_HEADER);
		started.awaitEvent((m) -> m.lastEventId().equals(id + ":4"), WAIT);
		started.cut();
		String last = started.lastEventId();
		int seen = Integer.parseInt(last.substring(id.length() + 1));
		try (SseStream rest = client(b).request("/runs/" + id).lastEventId(last).open()) {
			rest.awaitEnd(WAIT);
			assertThat(rest.status()).isEqualTo(200);
			assertThat(rest.rawText()).isEqualTo(events(id, seen + 1, 30));
		}
		try (SseStream whole = client(b).open("/runs/" + id)) {
			whole.awaitEnd(WAIT);
			assertThat(whole.rawText()).isEqualTo(events(id, 0, 30));
		}
		try (SseStream none = client(b).request("/runs/" + id).lastEventId(id + ":29").open()) {
			none.awaitEnd(WAIT);
			assertThat(none.status()).isEqualTo(204);
		}
		try (SseStream unknown = client(b).open("/runs/no-such-run")) {
			unknown.awaitEnd(WAIT);
			assertThat(unknown.status()).isEqualTo(204);
		}
		assertThat(a.getBean(SseRuns.class).ended(SseRun.Outcome.COMPLETED)).isPositive();
	}

	@Test
	void twoClientsOnBothInstancesGetTheWholeRunLive() throws Exception {
		SseStream onA = start(a, 60, 20);
		String id = onA.header(SseRun.RUN_ID_HEADER);
		try (SseStream onB = client(b).open("/runs/" + id)) {
			onA.awaitEnd(WAIT);
			onB.awaitEnd(WAIT);
			assertThat(onA.rawText()).isEqualTo(events(id, 0, 60));
			assertThat(onB.rawText()).isEqualTo(events(id, 0, 60));
		}
	}

	@Test
	void aStopOnTheOtherInstanceStopsThePublisherWhereItRuns() throws Exception {
		SseStream started = start(a, 10_000, 20);
		String id = started.header(SseRun.RUN_ID_HEADER);
		started.awaitEvent((m) -> m.lastEventId().equals(id + ":2"), WAIT);
		String stopped = client(b).request("/runs/" + id + "/stop").post("application/json", "{}").open()
			.awaitEnd(WAIT).rawText();
		assertThat(stopped).isEqualTo("true");
		started.awaitEnd(WAIT);
		AtomicInteger cancels = TestEndpoints.Runs.CANCELS.get(id);
		await().atMost(WAIT).untilAsserted(() -> assertThat(cancels.get()).isEqualTo(1));
		assertThat(started.events()).hasSizeLessThan(10_000);
		// what a client on the other instance gets is what the run stored, up to its end
		try (SseStream copy = client(b).open("/runs/" + id)) {
			copy.awaitEnd(WAIT);
			assertThat(copy.rawText()).isEqualTo(events(id, 0, started.events().size()));
		}
	}

	@Test
	void aClientOnTheOtherInstanceKeepsTheRunFromBeingOrphaned() throws Exception {
		// 4 s of tokens, twice the orphan timeout, with nobody attached on the instance that runs it
		SseStream started = start(a, 100, 40);
		String id = started.header(SseRun.RUN_ID_HEADER);
		try (SseStream onB = client(b).open("/runs/" + id)) {
			onB.awaitEvent((m) -> m.lastEventId().equals(id + ":0"), WAIT);
			started.cut();
			onB.awaitEnd(WAIT);
			assertThat(onB.rawText()).isEqualTo(events(id, 0, 100));
		}
		assertThat(TestEndpoints.Runs.CANCELS.get(id).get()).isZero();
	}

	@Test
	void whenTheInstanceThatRunsItIsGoneAClientElsewhereGetsAnErrorWithinTheLease() throws Exception {
		ConfigurableApplicationContext owner = redis.startOne();
		String id;
		List<SseMessage> got;
		try (SseStream onB = attachToARunOf(owner)) {
			id = onB.events().get(0).lastEventId().split(":")[0];
			owner.close();
			onB.awaitEnd(WAIT);
			got = onB.events();
		}
		finally {
			owner.close();
		}
		SseMessage error = got.get(got.size() - 1);
		assertThat(error.event()).isEqualTo("error");
		assertThat(error.lastEventId()).isEqualTo(id + ":" + (got.size() - 1));
		for (int i = 0; i < got.size() - 1; i++) {
			assertThat(got.get(i).data()).isEqualTo("token " + i);
		}
		// the run is lost for good: a client with the error's id is told there is nothing more
		try (SseStream none = client(a).request("/runs/" + id).lastEventId(error.lastEventId()).open()) {
			none.awaitEnd(WAIT);
			assertThat(none.status()).isEqualTo(204);
		}
		assertThat(b.getBean(StringRedisTemplate.class).getExpire("sse:run:{" + id + "}")).isPositive();
	}

	@Test
	void theRedisModeHasOneRunSharingBeanSoThatAnyOrderOfCreationStartsTheApplication() {
		// the runs' lifecycle must not be a second SseRunSharing: once it exists, SseRuns (and any bean of the
		// application that asks for the sharing) would find two and fail to start
		assertThat(a.getBeanNamesForType(SseRunSharing.class)).containsExactly("sseRedisRunSharing");
		assertThat(a.getBean(SseRunSharing.class)).isNotNull();
	}

	@Test
	void anApplicationsOwnRunSharingReplacesTheRedisOneAndTheApplicationStarts() {
		// the Redis mode's runs lifecycle belongs to its own run sharing: beside an application's own, it has none to
		// run (it used to take the application's bean and fail the start-up: "Not the Redis mode's run sharing")
		try (ConfigurableApplicationContext own = SpringApplication.run(
				new Class<?>[] { TestApplications.OnTomcat.class, OwnRunSharing.class },
				new String[] { "--server.port=0", "--sse.redis.enabled=true", "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.redis.port, "--spring.data.redis.timeout=2s",
						"--spring.main.banner-mode=off" })) {
			assertThat(own.getBeanNamesForType(SseRunSharing.class)).containsExactly("ownRunSharing");
			assertThat(own.containsBean("sseRedisRunsLifecycle")).isFalse();
			assertThat(((NoSharing) own.getBean(SseRunSharing.class)).host).as("opened by SseRuns").isNotNull();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRunSharing {

		@Bean
		SseRunSharing ownRunSharing() {
			return new NoSharing();
		}

	}

	/** An application's own sharing, which shares nothing: each instance keeps its runs to itself. */
	static final class NoSharing implements SseRunSharing {

		volatile @Nullable Host host;

		@Override
		public void open(Host host) {
			this.host = host;
		}

		@Override
		public Events share(String runId) {
			return new Events() {

				@Override
				public void append(long sequence, Object item) {
				}

				@Override
				public void end(SseRun.Outcome outcome, @Nullable SseEvent last) {
				}

			};
		}

		@Override
		public boolean exists(String runId) {
			return false;
		}

		@Override
		public Follow follow(String runId, Events into, BooleanSupplier attached) {
			return () -> {
			};
		}

		@Override
		public boolean stop(String runId) {
			return false;
		}

		@Override
		public boolean attachedElsewhere(String runId) {
			return false;
		}

	}

	@Test
	void aThousandRunsAtOnceAllCompleteAndEveryKeyTheyLeaveInRedisExpires() throws Exception {
		SseRuns runs = a.getBean(SseRuns.class);
		long completedBefore = runs.ended(SseRun.Outcome.COMPLETED);
		List<SseRun> started = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			started.add(runs.start(Flux.range(0, 20).map((n) -> "token " + n)));
		}
		await().atMost(WAIT).until(() -> started.stream().allMatch(SseRun::isEnded));
		assertThat(runs.ended(SseRun.Outcome.COMPLETED) - completedBefore).isEqualTo(1_000);
		StringRedisTemplate redis = b.getBean(StringRedisTemplate.class);
		// each run leaves one stream (begin, 20 events, end) that expires with the retention (1 minute), and no lease
		await().atMost(WAIT).untilAsserted(() -> {
			for (SseRun run : started) {
				String key = "sse:run:{" + run.id() + "}";
				assertThat(redis.opsForStream().size(key)).as(key).isEqualTo(22);
				assertThat(redis.getExpire(key)).as(key).isBetween(1L, 60L);
				assertThat(redis.hasKey(key + ":lease")).as(key).isFalse();
			}
		});
		// and the other instance serves any of them whole
		for (SseRun run : List.of(started.get(0), started.get(499), started.get(999))) {
			try (SseStream whole = client(b).open("/runs/" + run.id())) {
				whole.awaitEnd(WAIT);
				assertThat(whole.rawText()).isEqualTo(events(run.id(), 0, 20));
			}
		}
	}

	private static SseStream attachToARunOf(ConfigurableApplicationContext owner) throws Exception {
		SseStream started = start(owner, 10_000, 20);
		String id = started.header(SseRun.RUN_ID_HEADER);
		started.awaitEvent((m) -> m.lastEventId().equals(id + ":1"), WAIT);
		started.cut();
		SseStream onB = client(b).open("/runs/" + id);
		onB.awaitEvent((m) -> m.lastEventId().equals(id + ":3"), WAIT);
		return onB;
	}

}

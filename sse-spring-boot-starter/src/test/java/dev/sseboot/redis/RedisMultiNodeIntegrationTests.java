package dev.sseboot.redis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RedisServer;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.web.SseBackendHealth;
import dev.sseboot.web.SseStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** Two application instances on one real Redis: fan-out to both, resume on the other, Redis restarted. */
class RedisMultiNodeIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisServer redis;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void start() throws Exception {
		redis = RedisServer.start();
		a = instance(redis.port);
		b = instance(redis.port);
	}

	@AfterAll
	static void stop() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { a, b }) {
			if (context != null) {
				context.close();
			}
		}
		if (redis != null) {
			redis.close();
		}
	}

	static ConfigurableApplicationContext instance(int redisPort) {
		return SpringApplication.run(TestApplications.OnTomcat.class, "--server.port=0", "--sse.redis.enabled=true",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
				"--spring.data.redis.timeout=2s", "--spring.main.banner-mode=off");
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return SseTestClient.local(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

	@Test
	void usesTheRedisBroadcaster() {
		assertThat(a.getBean(Broadcaster.class).getClass().getName())
			.isEqualTo("dev.sseboot.redis.RedisBroadcaster");
	}

	@Test
	void eventPublishedOnOneInstanceReachesSubscribersOnBothExactlyOnce() throws Exception {
		try (SseStream onA = client(a).open("/rooms/both"); SseStream onB = client(b).open("/rooms/both")) {
			assertThat(onA.status()).isEqualTo(200);
			assertThat(onB.status()).isEqualTo(200);
			String id = a.getBean(Broadcaster.class).publish("room.both", SseEvent.of("chat", "from A"));
			b.getBean(Broadcaster.class).publish("room.both", SseEvent.of("chat", "from B"));
			for (SseStream stream : List.of(onA, onB)) {
				stream.awaitEvent((m) -> m.data().equals("from B"), WAIT);
				assertThat(chat(stream)).containsExactly("from A", "from B");
			}
			assertThat(id).matches("\\d+-\\d+");
			assertThat(onA.events()).filteredOn((m) -> m.data().equals("from A")).extracting(SseMessage::lastEventId)
				.containsExactly(id);
		}
	}

	@Test
	void eachReaderWaitsInABlockingReadOnAConnectionOfItsOwn() {
		StringRedisTemplate redisClient = a.getBean(StringRedisTemplate.class);
		// two readers per instance (topics, runs), each blocked in XREAD (flag b) on its own connection, not polling
		await().atMost(WAIT).untilAsserted(() -> assertThat(redisClient
			.execute((RedisCallback<List<RedisClientInfo>>) (connection) -> connection.serverCommands()
			.getClientList()))
			.filteredOn((client) -> "xread".equals(client.getLastCommand()) && client.getFlags().contains("b"))
			.hasSize(4));
	}

	@Test
	void anEntryWhoseWakeUpNeverCameIsDeliveredByTheNextSweep() throws Exception {
		try (SseStream onA = client(a).open("/rooms/unwoken")) {
			assertThat(onA.status()).isEqualTo(200);
			a.getBean(Broadcaster.class).publish("room.unwoken", SseEvent.of("chat", "woken"));
			onA.awaitEvent((m) -> m.data().equals("woken"), WAIT);
			// as a publisher that died between its two commands on Cluster leaves it: the entry, no wake-up
			String encoded = "event: chat\ndata: late\n\n";
			a.getBean(StringRedisTemplate.class).opsForStream().add("sse:topic:room.unwoken", Map.of("e", encoded));
			onA.awaitEvent((m) -> m.data().equals("late"), WAIT);
			assertThat(chat(onA)).containsExactly("woken", "late");
		}
	}

	@Test
	void clientOfOneInstanceResumesOnTheOtherWithExactlyWhatItMissed() throws Exception {
		Broadcaster publisher = a.getBean(Broadcaster.class);
		SseStream first = client(a).open("/rooms/resume");
		assertThat(first.status()).isEqualTo(200);
		publisher.publish("room.resume", SseEvent.of("chat", "m1"));
		publisher.publish("room.resume", SseEvent.of("chat", "m2"));
		first.awaitEvent((m) -> m.data().equals("m2"), WAIT);
		first.cut();
		publisher.publish("room.resume", SseEvent.of("chat", "m3"));
		publisher.publish("room.resume", SseEvent.of("chat", "m4"));
		try (SseStream resumed = client(b).request("/rooms/resume").lastEventId(first.lastEventId()).open()) {
			resumed.awaitEvent((m) -> m.data().equals("m4"), WAIT);
			publisher.publish("room.resume", SseEvent.of("chat", "m5"));
			resumed.awaitEvent((m) -> m.data().equals("m5"), WAIT);
			assertThat(chat(first)).containsExactly("m1", "m2");
			assertThat(chat(resumed)).containsExactly("m3", "m4", "m5");
		}
	}

	@Test
	void aClientResumingOnTheOtherInstanceWhilePublishingGoesOnGetsEveryEventOnceInOrder() throws Exception {
		Broadcaster publisher = a.getBean(Broadcaster.class);
		String resumeFrom;
		try (SseStream first = client(a).open("/rooms/busy")) {
			for (int i = 1; i <= 50; i++) {
				publisher.publish("room.busy", SseEvent.of("chat", "e" + i));
			}
			first.awaitEvent((m) -> m.data().equals("e50"), WAIT);
			resumeFrom = first.lastEventId();
		}
		Thread producer = new Thread(() -> {
			for (int i = 51; i <= 400; i++) {
				publisher.publish("room.busy", SseEvent.of("chat", "e" + i));
			}
		});
		producer.start();
		try (SseStream resumed = client(b).request("/rooms/busy").lastEventId(resumeFrom).open()) {
			resumed.awaitEvent((m) -> m.data().equals("e400"), WAIT);
			producer.join(WAIT.toMillis());
			assertThat(chat(resumed)).containsExactlyElementsOf(
					IntStream.rangeClosed(51, 400).mapToObj((i) -> "e" + i).toList());
			assertThat(resumed.events()).noneMatch((m) -> m.event().equals(Broadcaster.RESET_EVENT));
		}
	}

	@Test
	void unknownIdStartsWithReset() throws Exception {
		try (SseStream stream = client(b).request("/rooms/reset").lastEventId("no-such-id").open()) {
			SseMessage reset = stream.awaitEvent((m) -> m.event().equals(Broadcaster.RESET_EVENT), WAIT);
			assertThat(reset.data()).isEqualTo("room.reset");
		}
	}

	@Test
	void redisRestartedMidStreamKeepsSubscribersAndResumesWithoutDuplicates() throws Exception {
		Broadcaster onA = a.getBean(Broadcaster.class);
		try (SseStream streamA = client(a).open("/rooms/restart"); SseStream streamB = client(b)
			.open("/rooms/restart")) {
			assertThat(streamA.status()).isEqualTo(200);
			assertThat(streamB.status()).isEqualTo(200);
			onA.publish("room.restart", SseEvent.of("chat", "before"));
			streamA.awaitEvent((m) -> m.data().equals("before"), WAIT);
			streamB.awaitEvent((m) -> m.data().equals("before"), WAIT);
			int openOnA = a.getBean(SseStreams.class).size();

			redis.stopProcess();
			assertThatIllegalStateException()
				.isThrownBy(() -> onA.publish("room.restart", SseEvent.of("chat", "lost")))
				.withMessageStartingWith("Redis is unreachable: SSE topic \"room.restart\" could not be published to");
			SseBackendHealth healthOfA = a.getBean(SseBackendHealth.class);
			await().atMost(WAIT).until(() -> !healthOfA.check().up());
			assertThat(a.getBean(SseStreams.class).size()).isEqualTo(openOnA);
			assertThat(streamA.isEnded()).isFalse();

			redis.startProcess();
			await().atMost(WAIT).until(() -> healthOfA.check().up());
			await().atMost(WAIT).ignoreExceptions()
				.until(() -> onA.publish("room.restart", SseEvent.of("chat", "after")) != null);
			for (SseStream stream : List.of(streamA, streamB)) {
				stream.awaitEvent((m) -> m.data().equals("after"), WAIT);
				// the restarted Redis kept nothing: each instance says so with sse-reset, then goes on, no duplicates
				List<String> seen = stream.events().stream().map((m) -> m.event() + ":" + m.data()).toList();
				assertThat(seen).containsSubsequence("chat:before", "sse-reset:room.restart", "chat:after");
				assertThat(seen).filteredOn((e) -> e.startsWith("chat:")).containsExactly("chat:before", "chat:after");
			}
		}
	}

	@Test
	void startsWithRedisUnreachableAndReportsDown() throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		try (ConfigurableApplicationContext down = instance(closedPort)) {
			Broadcaster broadcaster = down.getBean(Broadcaster.class);
			SseBackendHealth health = down.getBean(SseBackendHealth.class);
			await().atMost(WAIT).until(() -> !health.check().up());
			assertThat(health.check().details()).containsKey("error");
			assertThatIllegalStateException().isThrownBy(() -> broadcaster.publish("t", SseEvent.of("x")))
				.withMessageContaining("Redis is unreachable");
		}
	}

}

package dev.sseboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.web.SseBackendHealth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on a real three-master Redis Cluster: topics whose streams live on different masters
 * fan out exactly once to both, a client resumes on the other instance, and fan-out survives a master that stopped
 * and came back.
 */
class RedisClusterIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int TOPICS = 12;

	private static RedisCluster cluster;

	private static ConfigurableApplicationContext a;

	private static ConfigurableApplicationContext b;

	@BeforeAll
	static void start() throws Exception {
		cluster = RedisCluster.start();
		a = instance();
		b = instance();
	}

	@AfterAll
	static void stop() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { a, b }) {
			if (context != null) {
				context.close();
			}
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	private static ConfigurableApplicationContext instance() {
		return SpringApplication.run(TestApplications.OnTomcat.class, "--server.port=0", "--sse.redis.enabled=true",
				"--spring.data.redis.cluster.nodes=" + cluster.nodes(), "--spring.data.redis.timeout=2s",
				"--spring.data.redis.lettuce.cluster.refresh.adaptive=true",
				"--spring.data.redis.lettuce.cluster.refresh.period=1s", "--spring.main.banner-mode=off");
	}

	@Test
	void topicsOnEveryMasterReachTheSubscribersOfBothInstancesExactlyOnce() throws Exception {
		List<Integer> slots = new ArrayList<>();
		for (int i = 0; i < TOPICS; i++) {
			slots.add(ClusterSlotHashUtil.calculateSlot("sse:topic:room.c" + i));
		}
		// the topics' streams are spread over the masters (slots 0-5460, 5461-10922, 10923-16383)
		assertThat(slots.stream().map((slot) -> slot * 3 / 16384).distinct()).hasSize(3);
		List<SseStream> streams = new ArrayList<>();
		try {
			for (int i = 0; i < TOPICS; i++) {
				for (ConfigurableApplicationContext context : List.of(a, b)) {
					SseStream stream = client(context).open("/rooms/c" + i);
					assertThat(stream.status()).isEqualTo(200);
					streams.add(stream);
				}
			}
			for (int i = 0; i < TOPICS; i++) {
				Broadcaster publisher = ((i % 2 == 0) ? a : b).getBean(Broadcaster.class);
				publisher.publish("room.c" + i, SseEvent.of("chat", "to c" + i));
				publisher.publish("room.c" + i, SseEvent.of("chat", "again c" + i));
			}
			for (int i = 0; i < TOPICS; i++) {
				for (SseStream stream : streams.subList(2 * i, 2 * i + 2)) {
					String again = "again c" + i;
					stream.awaitEvent((m) -> m.data().equals(again), WAIT);
					assertThat(chat(stream)).containsExactly("to c" + i, again);
				}
			}
		}
		finally {
			streams.forEach(SseStream::close);
		}
	}

	@Test
	void aClientResumesOnTheOtherInstanceWithExactlyWhatItMissed() throws Exception {
		Broadcaster publisher = a.getBean(Broadcaster.class);
		SseStream first = client(a).open("/rooms/resume");
		assertThat(first.status()).isEqualTo(200);
		publisher.publish("room.resume", SseEvent.of("chat", "m1"));
		first.awaitEvent((m) -> m.data().equals("m1"), WAIT);
		first.cut();
		publisher.publish("room.resume", SseEvent.of("chat", "m2"));
		publisher.publish("room.resume", SseEvent.of("chat", "m3"));
		try (SseStream resumed = client(b).request("/rooms/resume").lastEventId(first.lastEventId()).open()) {
			resumed.awaitEvent((m) -> m.data().equals("m3"), WAIT);
			assertThat(chat(resumed)).containsExactly("m2", "m3");
		}
	}

	@Test
	void fanOutResumesAfterAMasterStoppedAndCameBack() throws Exception {
		try (SseStream onA = client(a).open("/rooms/survivor"); SseStream onB = client(b).open("/rooms/survivor")) {
			assertThat(onA.status()).isEqualTo(200);
			Broadcaster publisher = b.getBean(Broadcaster.class);
			publisher.publish("room.survivor", SseEvent.of("chat", "before"));
			onA.awaitEvent((m) -> m.data().equals("before"), WAIT);
			cluster.stopNode(0);
			SseBackendHealth health = (SseBackendHealth) a.getBean(Broadcaster.class);
			await().atMost(WAIT).until(() -> !health.check().up());
			cluster.startNode(0);
			await().atMost(WAIT).until(cluster::isOk);
			await().atMost(WAIT).ignoreExceptions().until(() -> {
				publisher.publish("room.survivor", SseEvent.of("chat", "after"));
				return true;
			});
			for (SseStream stream : List.of(onA, onB)) {
				stream.awaitEvent((m) -> m.data().equals("after"), WAIT);
				assertThat(stream.isEnded()).isFalse();
			}
			await().atMost(WAIT).until(() -> health.check().up());
		}
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return SseTestClient.local(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

}

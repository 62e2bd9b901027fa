package dev.sseboot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.ManyTopicsResume;
import dev.sseboot.testsupport.RedisCluster;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
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
 * fan out exactly once to both, a client resumes on the other instance, and a master that stopped and came back
 * empty resets the subscribers of its topics, and only those, then fan-out goes on.
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
		assertThat(slots.stream().map(RedisClusterIntegrationTests::master).distinct()).hasSize(3);
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

	/** A stream on five topics whose streams live on all three masters: one id resumes them all, on either instance. */
	@Test
	void aStreamOnTopicsOfEveryMasterResumesWithOneIdOnEitherInstance() throws Exception {
		String set = null;
		for (int i = 0; set == null; i++) {
			Set<Integer> masters = new HashSet<>();
			for (String topic : ManyTopicsResume.topics("spread" + i)) {
				masters.add(master(ClusterSlotHashUtil.calculateSlot("sse:topic:" + topic)));
			}
			set = (masters.size() == 3) ? "spread" + i : null;
		}
		int published = ManyTopicsResume.check(a.getBean(Broadcaster.class), List.of(client(a), client(b)), set,
				200, 5);
		assertThat(published).isGreaterThan(200);
	}

	@Test
	void aRunStartedOnOneInstanceResumesAndStopsFromTheOther() throws Exception {
		SseStream started = client(a).request("/runs?tokens=10000&every=20").post("application/json", "{}").open();
		String id = started.header(SseRun.RUN_ID_HEADER);
		started.awaitEvent((m) -> m.lastEventId().equals(id + ":3"), WAIT);
		started.cut();
		try (SseStream resumed = client(b).request("/runs/" + id).lastEventId(id + ":3").open()) {
			resumed.awaitEvent((m) -> m.lastEventId().equals(id + ":8"), WAIT);
			assertThat(client(b).request("/runs/" + id + "/stop").post("application/json", "{}").open()
				.awaitEnd(WAIT)
				.rawText()).isEqualTo("true");
			resumed.awaitEnd(WAIT);
			List<SseMessage> events = resumed.events();
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i).lastEventId()).isEqualTo(id + ":" + (i + 4));
				assertThat(events.get(i).data()).isEqualTo("token " + (i + 4));
			}
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(TestEndpoints.Runs.CANCELS.get(id).get()).isEqualTo(1));
	}

	@Test
	void aRestartedMasterResetsOnlyTheTopicsItHoldsAndFanOutGoesOn() throws Exception {
		String lost = room(0, "lost");
		String kept = room(1, "kept");
		try (SseStream lostOnA = client(a).open("/rooms/" + lost); SseStream lostOnB = client(b).open("/rooms/" + lost);
				SseStream keptOnA = client(a).open("/rooms/" + kept)) {
			// the headers are out once each subscription is active: only then is "before" theirs
			for (SseStream stream : List.of(lostOnA, lostOnB, keptOnA)) {
				assertThat(stream.status()).isEqualTo(200);
			}
			Broadcaster publisher = b.getBean(Broadcaster.class);
			publisher.publish("room." + lost, SseEvent.of("chat", "before"));
			publisher.publish("room." + kept, SseEvent.of("chat", "before"));
			// every subscriber has it before the master goes (one that had not would rightly get only sse-reset)
			lostOnA.awaitEvent((m) -> m.data().equals("before"), WAIT);
			lostOnB.awaitEvent((m) -> m.data().equals("before"), WAIT);
			keptOnA.awaitEvent((m) -> m.data().equals("before"), WAIT);
			cluster.stopNode(0);
			SseBackendHealth health = a.getBean(SseBackendHealth.class);
			await().atMost(WAIT).until(() -> !health.check().up());
			cluster.startNode(0);
			await().atMost(WAIT).until(cluster::isOk);
			await().atMost(WAIT).ignoreExceptions().until(() -> {
				publisher.publish("room." + lost, SseEvent.of("chat", "after"));
				return true;
			});
			publisher.publish("room." + kept, SseEvent.of("chat", "after"));
			// node 0 came back empty: its topics' subscribers are told, by the first run_id check that reaches it (the
			// cluster's INFO may leave a node out while its topology settles, so a new run's event may come first)
			for (SseStream stream : List.of(lostOnA, lostOnB)) {
				stream.awaitEvent((m) -> m.data().equals("after"), WAIT);
				stream.awaitEvent((m) -> m.event().equals("sse-reset"), WAIT);
				assertThat(stream.events().stream().map(SseMessage::event)).containsSubsequence("chat", "sse-reset");
			}
			for (SseStream stream : List.of(lostOnA, lostOnB)) {
				assertThat(stream.events()).filteredOn((m) -> m.event().equals("sse-reset")).hasSize(1);
				assertThat(stream.isEnded()).isFalse();
			}
			keptOnA.awaitEvent((m) -> m.data().equals("after"), WAIT);
			assertThat(keptOnA.events().stream().map(SseMessage::event)).doesNotContain("sse-reset");
			await().atMost(WAIT).until(() -> health.check().up());
		}
	}

	/** A room whose topic's stream lives on master {@code node} (slots split in thirds, in the order of creation). */
	private static String room(int node, String name) {
		for (int i = 0;; i++) {
			String room = name + i;
			if (master(ClusterSlotHashUtil.calculateSlot("sse:topic:room." + room)) == node) {
				return room;
			}
		}
	}

	/** The master that holds {@code slot}: {@code redis-cli --cluster create} gives each a third, in order. */
	private static int master(int slot) {
		return (slot <= 5460) ? 0 : (slot <= 10922) ? 1 : 2;
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return SseTestClient.local(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

}

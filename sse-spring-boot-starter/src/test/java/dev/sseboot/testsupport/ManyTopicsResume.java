package dev.sseboot.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resume property of a stream on many topics, over HTTP: the test endpoint {@code /many/{set}} (five topics) is
 * read, cut at random points (after 0 to 3 events, and on every other connection once it has caught up) and resumed
 * with the last id its client saw, on each instance in turn, while a thread publishes to random topics of the set;
 * then one last stream reads to the end. Every event of
 * every topic must arrive exactly once, in its topic's order, with no {@code sse-reset}.
 */
public final class ManyTopicsResume {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ManyTopicsResume() {
	}

	/** The five topics of {@code /many/{set}}. */
	public static List<String> topics(String set) {
		return List.of("a", "b", "c", "d", "e").stream().map((t) -> "many." + set + "." + t).toList();
	}

	/** Runs the property; returns how many events were published. */
	public static int check(Broadcaster publisher, List<SseTestClient> instances, String set, int cuts, long seed)
			throws Exception {
		List<String> topics = topics(set);
		Map<String, Integer> published = new ConcurrentHashMap<>();
		Map<String, List<String>> received = new HashMap<>();
		topics.forEach((topic) -> received.put(topic, new ArrayList<>()));
		Random random = new Random(seed);
		SseStream stream = instances.get(0).open("/many/" + set);
		assertThat(stream.status()).isEqualTo(200);
		// the stream's first id (the cursor of every topic) arrives before anything is published: a client cut
		// before it had any id reconnects without one and starts live, as an EventSource does
		SseStream first = stream;
		await().atMost(WAIT).until(() -> !first.lastEventId().isEmpty());
		String lastSeen = first.lastEventId();
		AtomicBoolean stop = new AtomicBoolean();
		Thread thread = new Thread(() -> {
			Random pick = new Random(seed + 1);
			while (!stop.get()) {
				String topic = topics.get(pick.nextInt(topics.size()));
				int n = published.merge(topic, 1, Integer::sum) - 1;
				publisher.publish(topic, topic + ":" + n);
				// a steady pace, under a thousand a second: what matters is publishing during every cut
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}, "many-topics-publisher");
		thread.start();
		List<String> endedByServer = new ArrayList<>();
		try {
			for (int cut = 1; cut <= cuts; cut++) {
				int wanted = random.nextInt(4);
				SseStream awaited = stream;
				await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
					.until(() -> awaited.events().size() >= wanted || awaited.isEnded());
				if (stream.isEnded()) {
					// seen once in CI (JDK 25, a loaded machine), not reproduced since: a stream ended by the server
					// with no close reported. A browser reconnects with its last id, and so does this client; the
					// property below still holds, and these ends are counted and shown
					endedByServer.add(stream.toString() + " " + stream.rawText());
				}
				else if (random.nextBoolean()) {
					// every other connection reads until it has caught up: a client that only ever read a few
					// events a connection would fall behind the publisher and out of the replay window (a reset)
					int target = published.values().stream().mapToInt(Integer::intValue).sum();
					int already = received.values().stream().mapToInt(List::size).sum();
					SseStream current = stream;
					await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
						.until(() -> already + current.events().size() >= target || current.isEnded());
				}
				stream.cut();
				// the reader thread may still parse what it had read: its events and last id are final once it ends
				stream.awaitEnd(WAIT);
				collect(stream, received, lastSeen);
				lastSeen = stream.lastEventId().isEmpty() ? lastSeen : stream.lastEventId();
				SseTestClient next = instances.get(cut % instances.size());
				stream = next.request("/many/" + set).lastEventId(lastSeen).open();
				assertThat(stream.status()).isEqualTo(200);
			}
		}
		finally {
			stop.set(true);
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		SseStream last = stream;
		int total = published.values().stream().mapToInt(Integer::intValue).sum();
		int before = received.values().stream().mapToInt(List::size).sum();
		try {
			await().atMost(WAIT).until(() -> before + last.events().size() >= total);
		}
		catch (ConditionTimeoutException ex) {
			// the comparison below names what is missing
		}
		last.close();
		last.awaitEnd(WAIT);
		collect(last, received, lastSeen);
		for (String topic : topics) {
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < published.getOrDefault(topic, 0); i++) {
				expected.add(topic + ":" + i);
			}
			assertThat(received.get(topic)).as("%s, the last stream resumed from %s", topic, lastSeen)
				.isEqualTo(expected);
		}
		if (!endedByServer.isEmpty()) {
			System.err.println("ManyTopicsResume: streams the server ended by itself: " + endedByServer);
		}
		assertThat(endedByServer).as("streams the server ended by itself").hasSizeLessThanOrEqualTo(cuts / 100);
		return total;
	}

	private static void collect(SseStream stream, Map<String, List<String>> received, String resumedFrom) {
		for (SseMessage message : stream.events()) {
			assertThat(message.event())
				.as("a stream resumed with its last id is never reset: resumed from %s, got %s", resumedFrom, message)
				.isNotEqualTo(Broadcaster.RESET_EVENT);
			String topic = message.lastEventId().substring(0, message.lastEventId().lastIndexOf(' '));
			received.get(topic).add(message.data());
		}
	}

}

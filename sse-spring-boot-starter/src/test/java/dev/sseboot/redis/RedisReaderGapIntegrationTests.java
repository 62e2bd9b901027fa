package dev.sseboot.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RedisServer;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance whose reader lags behind (here: held back by stopping it): past the trim of a topic's Redis stream it
 * tells its subscribers with sse-reset instead of skipping what was trimmed, and a client that saw more on another
 * instance waits for it rather than getting sse-reset and duplicates.
 */
class RedisReaderGapIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int EVENTS = 500;

	private RedisServer redis;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeEach
	void start() throws Exception {
		this.redis = RedisServer.start();
		this.a = instance();
		this.b = instance();
	}

	@AfterEach
	void stop() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.a, this.b }) {
			if (context != null) {
				context.close();
			}
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	private ConfigurableApplicationContext instance() {
		return SpringApplication.run(TestApplications.OnTomcat.class, "--server.port=0", "--sse.redis.enabled=true",
				"--sse.replay.size=10", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port, "--spring.data.redis.timeout=2s",
				"--spring.main.banner-mode=off");
	}

	@Test
	void aReaderHeldBackPastTheTrimSendsResetAndEverySubscriberHasAllOrAReset() throws Exception {
		try (SseStream onA = client(this.a).open("/rooms/gap"); SseStream onB = client(this.b).open("/rooms/gap")) {
			assertThat(onA.status()).isEqualTo(200);
			assertThat(onB.status()).isEqualTo(200);
			Broadcaster publisher = this.b.getBean(Broadcaster.class);
			publisher.publish("room.gap", SseEvent.of("chat", "m0"));
			onA.awaitEvent((m) -> m.data().equals("m0"), WAIT);
			SmartLifecycle readerOfA = this.a.getBean("sseRedisTopicReader", SmartLifecycle.class);
			readerOfA.stop();
			for (int i = 1; i <= EVENTS; i++) {
				publisher.publish("room.gap", SseEvent.of("chat", "m" + i));
			}
			readerOfA.start();
			String last = "m" + EVENTS;
			for (SseStream stream : List.of(onA, onB)) {
				stream.awaitEvent((m) -> m.data().equals(last), WAIT);
				List<String> chat = chat(stream);
				boolean reset = stream.events().stream().anyMatch((m) -> m.event().equals(Broadcaster.RESET_EVENT));
				if (!reset) {
					assertThat(chat).as("without sse-reset nothing may be missing")
						.containsExactlyElementsOf(IntStream.rangeClosed(0, EVENTS).mapToObj((i) -> "m" + i).toList());
				}
				else {
					// what follows the reset is the stream's tail, in order, each once
					assertThat(chat).endsWith(last).doesNotHaveDuplicates();
					assertThat(chat.stream().map((data) -> Integer.parseInt(data.substring(1))).toList()).isSorted();
				}
			}
			// A's reader missed far more than the stream holds: it must have said so
			assertThat(onA.events()).anyMatch((m) -> m.event().equals(Broadcaster.RESET_EVENT)
					&& m.data().equals("room.gap"));
			assertThat(chat(onA)).hasSizeLessThan(EVENTS);
		}
	}

	@Test
	void aClientAheadOfThisInstancesReaderWaitsForItInsteadOfAResetAndDuplicates() throws Exception {
		ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
		try (SseStream onA = client(this.a).open("/rooms/ahead"); SseStream onB = client(this.b).open("/rooms/ahead")) {
			assertThat(onA.status()).isEqualTo(200);
			assertThat(onB.status()).isEqualTo(200);
			SmartLifecycle readerOfB = this.b.getBean("sseRedisTopicReader", SmartLifecycle.class);
			readerOfB.stop();
			Broadcaster publisher = this.a.getBean(Broadcaster.class);
			for (int i = 1; i <= 3; i++) {
				publisher.publish("room.ahead", SseEvent.of("chat", "e" + i));
			}
			String seen = onA.awaitEvent((m) -> m.data().equals("e3"), WAIT).lastEventId();
			// B's reader comes back while the resuming request waits for it
			later.schedule(readerOfB::start, 500, TimeUnit.MILLISECONDS);
			try (SseStream resumed = client(this.b).request("/rooms/ahead").lastEventId(seen).open()) {
				assertThat(resumed.status()).isEqualTo(200);
				publisher.publish("room.ahead", SseEvent.of("chat", "e4"));
				resumed.awaitEvent((m) -> m.data().equals("e4"), WAIT);
				assertThat(chat(resumed)).containsExactly("e4");
				assertThat(resumed.events()).noneMatch((m) -> m.event().equals(Broadcaster.RESET_EVENT));
			}
			onB.awaitEvent((m) -> m.data().equals("e4"), WAIT);
			assertThat(chat(onB)).containsExactly("e1", "e2", "e3", "e4");
		}
		finally {
			later.shutdownNow();
		}
	}

	private static SseTestClient client(ConfigurableApplicationContext context) {
		return SseTestClient.local(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static List<String> chat(SseStream stream) {
		return stream.events().stream().filter((m) -> m.event().equals("chat")).map(SseMessage::data).toList();
	}

}

package dev.sseboot.redis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseTransport;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import dev.sseboot.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broadcaster on a real redis-server, its reader's turns taken by the test one at a time: wake-ups lost
 * to the trim never let a later event jump its gap, topics expire in Redis as in memory, a subscribe that could not
 * read its position loses nothing silently, and a replay is bounded before it is read.
 */
class RedisBroadcasterTests {

	private static final Duration BLOCK = Duration.ofMillis(100);

	private RedisServer redis;

	private LettuceConnectionFactory factory;

	private RedisConnection readerConnection;

	@BeforeEach
	void start() throws Exception {
		this.redis = RedisServer.start();
		this.factory = new LettuceConnectionFactory("127.0.0.1", this.redis.port);
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.readerConnection = this.factory.getConnection();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.readerConnection != null) {
			this.readerConnection.close();
		}
		this.factory.destroy();
		this.redis.close();
	}

	/** An instance's engine, whose reader's turns the test takes itself. */
	private SseRedis engine(StringRedisTemplate template, long maxReplayBytes, Duration idleExpiry) {
		return new SseRedis(template, this.factory, new SseEncoder(),
				new SseRedis.Settings(1000, maxReplayBytes, idleExpiry, BLOCK));
	}

	private SseRedis engine() {
		return engine(new StringRedisTemplate(this.factory), 4L << 20, Duration.ofMinutes(10));
	}

	private void turn(SseRedis engine) {
		engine.turn().take(this.readerConnection, BLOCK);
	}

	@Test
	void aWakeUpTrimmedBeforeItWasReadNeverLetsALaterEventJumpItsGap() {
		SseRedis engine = engine();
		Broadcaster broadcaster = engine.broadcaster();
		Client client = new Client();
		broadcaster.subscribe("room.a", client.channel, null);
		turn(engine);
		// one script run: e1, 300 other publishes, e2, 800 more: the wake-up stream (about 1,000 long) loses e1's
		// wake-up before the reader sees any of them, while e2's survives
		StringBuilder lua = new StringBuilder("local function publish(KEYS, ARGV)\n")
			.append(RedisTopicStreams.PUBLISH_SCRIPT)
			.append("\nend\n");
		call(lua, engine, "room.a", "e1");
		lua.append("for i = 1, 300 do\n");
		call(lua, engine, "room.noise", "noise");
		lua.append("end\n");
		call(lua, engine, "room.a", "e2");
		lua.append("for i = 1, 800 do\n");
		call(lua, engine, "room.noise", "noise");
		lua.append("end\nreturn 1");
		StringRedisTemplate template = new StringRedisTemplate(this.factory);
		template.execute(RedisScript.of(lua.toString(), Long.class), List.of("sse:topic:room.a", "sse:topic:room.noise",
				"sse:wake"));
		assertThat(template.opsForStream().range("sse:wake", Range.unbounded()))
			.as("e1's wake-up was trimmed").noneMatch((record) -> "room.a".equals(record.getValue().get("t"))
					&& record.getValue().get("e").toString().contains("e1"));
		turn(engine);
		broadcaster.publish("room.a", SseEvent.of("e3"));
		// a turn reads 500 wake-ups at most: a few turns take the rest
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			turn(engine);
			return client.data().contains("e3");
		});
		List<String> data = client.data();
		if (client.names().contains(Broadcaster.RESET_EVENT)) {
			assertThat(data).endsWith("e3");
		}
		else {
			assertThat(data).containsExactly("e1", "e2", "e3");
		}
	}

	/** Appends a call of the publish script for {@code topic} and {@code data}, as {@code publish} would make it. */
	private static void call(StringBuilder lua, SseRedis engine, String topic, String data) {
		List<String> keys = engine.streams().publishKeys(topic);
		Object[] args = engine.streams().publishArgs(topic, engine.events().stored(SseEvent.of(data)));
		lua.append("publish({")
			.append(keys.stream().map(RedisBroadcasterTests::quoted).collect(Collectors.joining(",")))
			.append("}, {")
			.append(Arrays.stream(args).map(String::valueOf).map(RedisBroadcasterTests::quoted)
				.collect(Collectors.joining(",")))
			.append("})\n");
	}

	private static String quoted(String text) {
		return "[==[" + text + "]==]";
	}

	@Test
	void topicsExpireInRedisAfterTheIdleExpiryUnlessSubscribedAndAResumeOfAnExpiredOneIsReset() {
		SseRedis engine = engine(new StringRedisTemplate(this.factory), 4L << 20, Duration.ofSeconds(2));
		Broadcaster broadcaster = engine.broadcaster();
		StringRedisTemplate template = new StringRedisTemplate(this.factory);
		Client kept = new Client();
		broadcaster.subscribe("room.kept", kept.channel, null);
		broadcaster.publish("room.kept", SseEvent.of("k1"));
		String oneOffId = null;
		for (int i = 0; i < 20; i++) {
			oneOffId = broadcaster.publish("run." + i, SseEvent.of("token " + i));
		}
		assertThat(template.keys("sse:topic:*")).hasSize(21);
		// the reader renews the subscribed topic's expiry as it reads
		long start = System.nanoTime();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			turn(engine);
			return template.keys("sse:topic:run.*").isEmpty();
		});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
		assertThat(template.hasKey("sse:topic:room.kept")).as("a topic with subscribers stays").isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			turn(engine);
			return template.getExpire("sse:topic:room.kept") > 0;
		});
		Client resuming = new Client();
		broadcaster.subscribe("run.19", resuming.channel, oneOffId);
		assertThat(resuming.names()).containsExactly(Broadcaster.RESET_EVENT);
		kept.channel.close();
		await().atMost(Duration.ofSeconds(20)).until(() -> template.keys("sse:*").isEmpty());
	}

	@Test
	void aSubscribeThatCouldNotReadThePositionLosesNothingSilently() {
		AtomicInteger failures = new AtomicInteger(1);
		SseRedis engine = engine(new FailingReads(this.factory, failures, "reverseRange", null), 4L << 20,
				Duration.ofMinutes(10));
		Broadcaster subscriber = engine.broadcaster();
		Broadcaster publisher = engine().broadcaster();
		Client client = new Client();
		subscriber.subscribe("room.dark", client.channel, null);
		assertThat(failures.get()).as("the position read failed").isZero();
		publisher.publish("room.dark", SseEvent.of("published while the position was unknown"));
		turn(engine);
		publisher.publish("room.dark", SseEvent.of("later"));
		turn(engine);
		await().atMost(Duration.ofSeconds(10)).until(() -> client.data().contains("later"));
		assertThat(client.data().contains("published while the position was unknown")
				|| client.names().contains(Broadcaster.RESET_EVENT))
			.as("delivered, or told with sse-reset: %s", client.text())
			.isTrue();
	}

	@Test
	void aReplayIsBoundedByItsBytesBeforeItIsRead() {
		AtomicInteger read = new AtomicInteger();
		Broadcaster broadcaster = engine(new FailingReads(this.factory, new AtomicInteger(), "range", read), 64 * 1024,
				Duration.ofMinutes(10)).broadcaster();
		String payload = "r".repeat(2048);
		String first = broadcaster.publish("room.big", SseEvent.of(payload));
		for (int i = 0; i < 400; i++) {
			broadcaster.publish("room.big", SseEvent.of(payload));
		}
		read.set(0);
		Client client = new Client();
		broadcaster.subscribe("room.big", client.channel, first);
		assertThat(client.names()).containsExactly(Broadcaster.RESET_EVENT);
		// 64 KB hold about 32 of these events: reading stops within a page of that, not at the stream's end
		assertThat(read.get()).isLessThanOrEqualTo(32 + RedisTopicStreams.REPLAY_PAGE + 1);
	}

	/** A subscriber's channel, writing on the caller's thread into a buffer the test reads. */
	private static final class Client {

		private final StringBuffer received = new StringBuffer();

		final DefaultEventChannel channel = DefaultEventChannel.builder(new SseTransport() {

			@Override
			public void write(byte[] bytes) {
				Client.this.received.append(new String(bytes, StandardCharsets.UTF_8));
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}
		}).executor(Runnable::run).build();

		Client() {
			this.channel.start();
		}

		String text() {
			return this.received.toString();
		}

		List<SseMessage> messages() {
			List<SseMessage> messages = new ArrayList<>();
			new SseParser(messages::add).feed(text().getBytes(StandardCharsets.UTF_8));
			return messages;
		}

		List<String> data() {
			return messages().stream().filter((m) -> m.event().equals("message")).map(SseMessage::data).toList();
		}

		List<String> names() {
			return messages().stream().map(SseMessage::event).filter((name) -> !name.equals("message")).toList();
		}

	}

	/**
	 * A template whose stream operations fail the first {@code failures} calls of {@code method}, and count the
	 * records that calls of it returned into {@code records} (when given).
	 */
	private static final class FailingReads extends StringRedisTemplate {

		private final AtomicInteger failures;

		private final String method;

		private final AtomicInteger records;

		FailingReads(LettuceConnectionFactory factory, AtomicInteger failures, String method, AtomicInteger records) {
			super(factory);
			this.failures = failures;
			this.method = method;
			this.records = records;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <HK, HV> StreamOperations<String, HK, HV> opsForStream() {
			StreamOperations<String, HK, HV> real = super.opsForStream();
			return (StreamOperations<String, HK, HV>) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { StreamOperations.class }, (proxy, called, args) -> {
						if (called.getName().equals(this.method) && this.failures.getAndDecrement() > 0) {
							throw new QueryTimeoutException("Redis did not answer in time (a test's failure)");
						}
						try {
							Object result = called.invoke(real, args);
							if (called.getName().equals(this.method) && this.records != null
									&& result instanceof List<?> list) {
								this.records.addAndGet(list.size());
							}
							return result;
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

	}

}

package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseTransport;
import dev.sseboot.testsupport.RedisServer;
import dev.sseboot.web.SseBackendHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reader on a real Redis never dies silently: an {@link Error} it meets (here: from its connection factory) is
 * reported DOWN with its cause, and it reads on from a new connection once it can.
 */
class RedisReaderTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RedisServer redis;

	private LettuceConnectionFactory factory;

	private SmartLifecycle reader;

	@BeforeEach
	void start() throws Exception {
		this.redis = RedisServer.start();
		this.factory = new LettuceConnectionFactory("127.0.0.1", this.redis.port);
		this.factory.afterPropertiesSet();
		this.factory.start();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.reader != null) {
			this.reader.stop();
		}
		this.factory.destroy();
		this.redis.close();
	}

	@Test
	void anErrorInTheReaderIsReportedDownAndTheReaderReadsOn() {
		AtomicInteger failures = new AtomicInteger(3);
		RedisConnectionFactory failing = new Failing(this.factory, failures);
		SseRedis engine = new SseRedis(new StringRedisTemplate(this.factory), failing, new SseEncoder(),
				new SseRedis.Settings(100, 1 << 20, Duration.ofMinutes(10), Duration.ofMillis(200)));
		Broadcaster broadcaster = engine.broadcaster();
		SseBackendHealth health = engine.health();
		StringBuilder received = new StringBuilder();
		DefaultEventChannel channel = DefaultEventChannel.builder(new SseTransport() {

			@Override
			public void write(byte[] bytes) {
				synchronized (received) {
					received.append(new String(bytes, StandardCharsets.UTF_8));
				}
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}
		}).build();
		channel.start();
		broadcaster.subscribe("t", channel, null);
		this.reader = engine.reader();
		this.reader.start();
		await().atMost(WAIT).until(() -> !health.check().up());
		assertThat(health.check().details()).containsEntry("error", "AssertionError: a fault that is no Redis outage");
		await().atMost(WAIT).until(() -> failures.get() <= 0 && health.check().up());
		broadcaster.publish("t", SseEvent.of("after the error"));
		await().atMost(WAIT).until(() -> {
			synchronized (received) {
				return received.toString().contains("data: after the error\n\n");
			}
		});
		assertThat(this.reader.isRunning()).isTrue();
	}

	/** Throws an {@link Error} for the first connections asked for, then hands out real ones. */
	private record Failing(RedisConnectionFactory delegate, AtomicInteger failures) implements RedisConnectionFactory {

		@Override
		public RedisConnection getConnection() {
			if (this.failures.getAndDecrement() > 0) {
				throw new AssertionError("a fault that is no Redis outage");
			}
			return this.delegate.getConnection();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			return this.delegate.getClusterConnection();
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return this.delegate.getConvertPipelineAndTxResults();
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			return this.delegate.getSentinelConnection();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return this.delegate.translateExceptionIfPossible(ex);
		}

	}

}

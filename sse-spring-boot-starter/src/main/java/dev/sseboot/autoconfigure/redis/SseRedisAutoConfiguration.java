package dev.sseboot.autoconfigure.redis;

import java.time.Duration;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.autoconfigure.SseProperties;
import dev.sseboot.autoconfigure.SseRunsProperties;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseRunSharing;
import dev.sseboot.redis.SseRedis;
import dev.sseboot.web.SseBackendHealth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Multi-node topics through Redis Streams, with {@code sse.redis.enabled=true} and Spring Data Redis present: the
 * {@link Broadcaster} bean becomes the Redis engine's ({@link SseRedis}), so no application code changes; its reader
 * is a lifecycle bean and its health a {@link SseBackendHealth} bean.
 */
@AutoConfiguration(before = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ StringRedisTemplate.class, SseEncoder.class })
@ConditionalOnBooleanProperty("sse.redis.enabled")
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties({ SseProperties.class, SseRunsProperties.class })
public final class SseRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broadcaster.class)
	SseRedis sseRedis(RedisConnectionFactory connectionFactory, SseEncoder sseEncoder, SseProperties properties,
			Environment environment) {
		SseProperties.Replay replay = properties.getReplay();
		return new SseRedis(new StringRedisTemplate(connectionFactory), connectionFactory, sseEncoder,
				new SseRedis.Settings(replay.getSize(), replay.getMaxBytes().toBytes(), replay.getIdleExpiry(),
						block(environment, properties)));
	}

	@Bean
	@ConditionalOnBean(SseRedis.class)
	Broadcaster sseRedisBroadcaster(SseRedis redis) {
		return redis.broadcaster();
	}

	@Bean
	@ConditionalOnBean(SseRedis.class)
	SmartLifecycle sseRedisTopicReader(SseRedis redis) {
		return redis.reader();
	}

	@Bean
	@ConditionalOnBean(SseRedis.class)
	@ConditionalOnMissingBean(SseRunSharing.class)
	SseRunSharing sseRedisRunSharing(SseRedis redis, RedisConnectionFactory connectionFactory,
			ObjectProvider<SseDataSerializer> serializer, SseRunsProperties runs) {
		return redis.runSharing(new StringRedisTemplate(connectionFactory), connectionFactory,
				serializer.getIfAvailable(() -> SseDataSerializer.TEXT), runs.getMaxEvents(), runs.getRetention(),
				runs.getLease());
	}

	/** The threads of the Redis mode's own run sharing: none to run beside an application's own. */
	@Bean
	@ConditionalOnBean(name = "sseRedisRunSharing")
	SmartLifecycle sseRedisRunsLifecycle(SseRunSharing sseRedisRunSharing) {
		return SseRedis.runsLifecycle(sseRedisRunSharing);
	}

	@Bean
	@ConditionalOnBean(SseRedis.class)
	SseBackendHealth sseRedisHealth(SseRedis redis) {
		return redis.health();
	}

	/**
	 * One wait for wake-ups: 1 s, or half the client's command timeout when that is shorter (a blocking read is a
	 * command like any other: waiting longer than the timeout would fail it), and no longer than the period at which
	 * subscribed topics' expiries are renewed.
	 */
	static Duration block(Environment environment, SseProperties properties) {
		Duration block = Duration.ofSeconds(1);
		Duration timeout = Binder.get(environment).bind("spring.data.redis.timeout", Duration.class).orElse(null);
		if (timeout != null && !timeout.isZero() && !timeout.isNegative()
				&& timeout.dividedBy(2).compareTo(block) < 0) {
			block = timeout.dividedBy(2);
		}
		Duration renewal = SseRedis.renewalPeriod(properties.getReplay().getIdleExpiry());
		if (renewal.compareTo(block) < 0) {
			block = renewal;
		}
		return block.isZero() ? Duration.ofMillis(1) : block;
	}

}

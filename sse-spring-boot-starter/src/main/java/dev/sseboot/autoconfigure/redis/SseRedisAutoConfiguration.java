package dev.sseboot.autoconfigure.redis;

import java.time.Duration;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.autoconfigure.SseProperties;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseEncoder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Multi-node topics through Redis Streams, with {@code sse.redis.enabled=true} and Spring Data Redis present: the
 * {@link Broadcaster} bean becomes a {@link RedisBroadcaster}, so no application code changes.
 */
@AutoConfiguration(before = SseAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ StringRedisTemplate.class, SseEncoder.class })
@ConditionalOnBooleanProperty("sse.redis.enabled")
@ConditionalOnBooleanProperty(name = "sse.enabled", matchIfMissing = true)
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(SseProperties.class)
public final class SseRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(Broadcaster.class)
	RedisBroadcaster sseRedisBroadcaster(RedisConnectionFactory connectionFactory, SseEncoder sseEncoder,
			SseProperties properties) {
		return new RedisBroadcaster(new StringRedisTemplate(connectionFactory), sseEncoder,
				properties.getReplay().getSize(), properties.getReplay().getMaxBytes().toBytes(), "sse:topic:", "sse:wake",
				properties.getReplay().getIdleExpiry());
	}

	@Bean
	@ConditionalOnBean(RedisBroadcaster.class)
	RedisTopicReader sseRedisTopicReader(RedisBroadcaster broadcaster, RedisConnectionFactory connectionFactory,
			Environment environment, SseProperties properties) {
		return new RedisTopicReader(broadcaster, connectionFactory, block(environment, properties));
	}

	/**
	 * One wait for wake-ups: 1 s, or half the client's command timeout when that is shorter (a blocking read is a
	 * command like any other: waiting longer than the timeout would fail it), and no longer than the period at which
	 * subscribed topics' expiries are renewed.
	 */
	static Duration block(Environment environment, SseProperties properties) {
		Duration block = Duration.ofSeconds(1);
		Duration timeout = Binder.get(environment).bind("spring.data.redis.timeout", Duration.class).orElse(null);
		if (timeout != null && !timeout.isZero() && !timeout.isNegative() && timeout.dividedBy(2).compareTo(block) < 0) {
			block = timeout.dividedBy(2);
		}
		Duration renewal = RedisBroadcaster.renewalPeriod(properties.getReplay().getIdleExpiry());
		if (renewal.compareTo(block) < 0) {
			block = renewal;
		}
		return block.isZero() ? Duration.ofMillis(1) : block;
	}

}

package dev.sseboot.autoconfigure.redis;

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
import org.springframework.context.annotation.Bean;
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
				properties.getReplay().getSize(), properties.getReplay().getMaxBytes().toBytes(), "sse:topic:");
	}

	@Bean
	@ConditionalOnBean(RedisBroadcaster.class)
	RedisTopicReader sseRedisTopicReader(RedisBroadcaster broadcaster) {
		return new RedisTopicReader(broadcaster);
	}

}

/**
 * The Redis engine of multi-node topics ({@code sse.redis.enabled=true}): internal. {@link dev.sseboot.redis.SseRedis}
 * is its one public type, for sse-boot's auto-configuration; everything else is package-private. Who owns what:
 * {@code RedisTopicStreams} sends every Redis command; {@code LocalTopics} holds this instance's topics and their
 * positions; {@code RedisBroadcaster} publishes and subscribes; {@code RedisReaderTurn} is one turn of the reader
 * (wake-ups, sweeps, restarts, expiry renewal) with the reader's own positions, and {@code RedisReader} the
 * thread that takes turns; {@code RedisHealth} is what the {@code sse} health indicator sees.
 */
@NullMarked
package dev.sseboot.redis;

import org.jspecify.annotations.NullMarked;

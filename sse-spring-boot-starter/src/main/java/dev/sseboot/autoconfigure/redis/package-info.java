/**
 * Multi-node topics: fan-out and replay through Redis Streams ({@code sse.redis.enabled=true}).
 */
@NullMarked
package dev.sseboot.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;

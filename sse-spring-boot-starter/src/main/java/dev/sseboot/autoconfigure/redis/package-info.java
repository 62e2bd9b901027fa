/**
 * Auto-configuration of multi-node topics through Redis Streams ({@code sse.redis.enabled=true}); the engine itself
 * lives in {@code dev.sseboot.redis}.
 */
@NullMarked
package dev.sseboot.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;

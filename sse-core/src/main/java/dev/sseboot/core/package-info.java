/**
 * The sse-boot core: the event model ({@link dev.sseboot.core.SseEvent}), the one place wire text is produced
 * ({@link dev.sseboot.core.SseEncoder}), the per-connection engine ({@link dev.sseboot.core.EventChannel}) and the
 * shared {@link dev.sseboot.core.Heartbeat}. Plain Java: nothing here knows Spring.
 */
@NullMarked
package dev.sseboot.core;

import org.jspecify.annotations.NullMarked;

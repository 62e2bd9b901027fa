/**
 * Reading SSE streams (API): a WHATWG-exact incremental {@link dev.sseboot.core.client.SseParser} of
 * {@link dev.sseboot.core.client.SseMessage}s, and {@link dev.sseboot.core.client.SseClient}, an
 * {@code EventSource} on the JDK {@code HttpClient} that reconnects with a {@link dev.sseboot.core.client.Backoff}.
 */
@NullMarked
package dev.sseboot.core.client;

import org.jspecify.annotations.NullMarked;

/**
 * Reading SSE streams: a WHATWG-exact incremental {@link dev.sseboot.core.client.SseParser}.
 */
@NullMarked
package dev.sseboot.core.client;

import org.jspecify.annotations.NullMarked;

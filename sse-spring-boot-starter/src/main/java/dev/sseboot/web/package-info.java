/**
 * The user-facing Spring MVC API of sse-boot: {@link dev.sseboot.web.SseEndpoint} methods receive an
 * {@link dev.sseboot.core.EventChannel}, and {@link dev.sseboot.web.SseDisconnectListener} beans hear when a stream
 * ends.
 */
@NullMarked
package dev.sseboot.web;

import org.jspecify.annotations.NullMarked;

/**
 * The Spring MVC adapter behind {@code @SseEndpoint}: registration in Spring MVC's handler mapping, admission, the
 * {@code SseEmitter} lifecycle and the non-blocking servlet transport. Internal: nothing here is API, and the types
 * that are public are so only for sse-boot's auto-configurations.
 */
@NullMarked
package dev.sseboot.web.servlet;

import org.jspecify.annotations.NullMarked;

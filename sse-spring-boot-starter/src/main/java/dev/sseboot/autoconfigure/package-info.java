/**
 * Auto-configuration of sse-boot on Spring MVC, and {@link dev.sseboot.autoconfigure.SseProperties}, the
 * {@code sse.*} properties.
 */
@NullMarked
package dev.sseboot.autoconfigure;

import org.jspecify.annotations.NullMarked;

/**
 * Micrometer meters for sse-boot, auto-configured apart from the rest so the starter works without Micrometer.
 */
@NullMarked
package dev.sseboot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;

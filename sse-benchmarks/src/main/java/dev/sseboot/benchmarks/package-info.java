/**
 * Benchmarks of sse-boot against the alternatives; run by hand, never by the test command.
 */
@NullMarked
package dev.sseboot.benchmarks;

import org.jspecify.annotations.NullMarked;

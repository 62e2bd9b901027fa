/**
 * Test support for applications that use sse-boot: open a stream against a running application, await events with
 * a deadline, read the exact bytes and headers, cut the connection abruptly, reconnect with {@code Last-Event-ID}.
 * No test framework is needed; failed waits throw {@link java.lang.AssertionError} with what was received.
 */
@NullMarked
package dev.sseboot.test;

import org.jspecify.annotations.NullMarked;

/**
 * The end-to-end fan-out benchmark: three servers (sse-boot, hand-written SseEmitter fan-out, WebFlux) measured in
 * turns by one non-blocking load client on loopback.
 */
@NullMarked
package dev.sseboot.benchmarks.fanout;

import org.jspecify.annotations.NullMarked;

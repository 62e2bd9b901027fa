/** Streams on many topics against single-topic streams: bytes and CPU per delivered event. */
@NullMarked
package dev.sseboot.benchmarks.topics;

import org.jspecify.annotations.NullMarked;

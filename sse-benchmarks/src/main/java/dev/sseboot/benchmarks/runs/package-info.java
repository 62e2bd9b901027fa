/**
 * The runs benchmark: one answer to many attached clients, in process, as a run, a topic and a shared Reactor
 * replay.
 */
@NullMarked
package dev.sseboot.benchmarks.runs;

import org.jspecify.annotations.NullMarked;

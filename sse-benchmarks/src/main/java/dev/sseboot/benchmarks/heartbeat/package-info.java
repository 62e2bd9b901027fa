/** The heartbeat timer's own cost at many streams. */
@NullMarked
package dev.sseboot.benchmarks.heartbeat;

import org.jspecify.annotations.NullMarked;

/**
 * The sse-boot sample application.
 */
@NullMarked
package dev.sseboot.sample;

import org.jspecify.annotations.NullMarked;

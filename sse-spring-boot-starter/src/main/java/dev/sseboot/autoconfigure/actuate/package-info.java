/**
 * The {@code sse} actuator endpoint and health indicator.
 */
@NullMarked
package dev.sseboot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;

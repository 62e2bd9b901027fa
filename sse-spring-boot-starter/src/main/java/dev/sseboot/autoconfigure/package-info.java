/**
 * Auto-configuration of sse-boot. Filled by the starter issue; see the README for the state of each module.
 */
@NullMarked
package dev.sseboot.autoconfigure;

import org.jspecify.annotations.NullMarked;

/**
 * The application the system tests deploy: topics to stream and to publish to, nothing more.
 */
@NullMarked
package dev.sseboot.system;

import org.jspecify.annotations.NullMarked;

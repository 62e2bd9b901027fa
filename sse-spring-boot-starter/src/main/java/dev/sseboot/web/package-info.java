/**
 * The user-facing Spring MVC API of sse-boot ({@code @SseEndpoint}, disconnect listeners). Filled by the starter
 * issue; see the README for the state of each module.
 */
@NullMarked
package dev.sseboot.web;

import org.jspecify.annotations.NullMarked;

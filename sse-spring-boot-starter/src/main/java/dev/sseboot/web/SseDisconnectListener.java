package dev.sseboot.web;

/**
 * Hears when a stream ends: declare beans of this type. Called exactly once per stream that opened, after its last
 * write; never for requests refused before a stream opened (406, 405, 503, or an exception from the endpoint
 * method). Beans run in their {@code @Order}; one that throws is logged and the others still run. Calls come from
 * sse-boot's writer threads or the container's: keep them quick.
 */
@FunctionalInterface
public interface SseDisconnectListener {

	void onDisconnect(SseDisconnect disconnect);

}

package dev.sseboot.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Maps a method of any bean to a {@code GET} endpoint that produces {@code text/event-stream}.
 * <p>
 * The method runs once per connection, with every Spring MVC argument (path variables, request parameters,
 * headers, {@code Principal}, the request) plus an {@link dev.sseboot.core.EventChannel} for this connection. It must
 * return {@code void} and may return at once: the stream lives until the channel closes. An exception thrown before
 * it returns becomes an ordinary Spring MVC error response (a {@code ResponseStatusException(NOT_FOUND)} gives a
 * 404, which also stops a browser's {@code EventSource} from reconnecting). Response headers are sent once the
 * method has returned.
 * <p>
 * Every attribute but the path defaults to the {@code sse.*} properties and accepts {@code ${...}} placeholders.
 * A path is absolute, or relative to a class-level {@code @RequestMapping}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SseEndpoint {

	/** Alias for {@link #path()}. */
	@AliasFor("path")
	String value() default "";

	/** The path pattern, such as {@code /rooms/{room}}; it is also the {@code endpoint} tag of the meters. */
	@AliasFor("value")
	String path() default "";

	/**
	 * A topic to subscribe the connection to, with {@code {name}} placeholders filled from path variables (for
	 * instance {@code room.{room}}); empty for none.
	 */
	String topic() default "";

	/** Idle time before a heartbeat comment, such as {@code 10s}; {@code 0} disables; default {@code sse.heartbeat.interval}. */
	String heartbeat() default "";

	/** Events buffered for this connection; default {@code sse.buffer.size}. */
	String bufferSize() default "";

	/** {@code block}, {@code drop-oldest}, {@code drop-newest} or {@code close}; default {@code sse.buffer.overflow}. */
	String overflow() default "";

	/** Maximum lifetime of a stream, then closed with {@code TIMEOUT}; default {@code sse.timeout} (none). */
	String timeout() default "";

}

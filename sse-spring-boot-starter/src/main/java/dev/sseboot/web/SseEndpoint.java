package dev.sseboot.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * Maps a method of any bean to a {@code GET} (or {@code POST}) endpoint that produces {@code text/event-stream}.
 * <p>
 * The method runs once per connection, with every Spring MVC argument (path variables, request parameters,
 * headers, {@code Principal}, the request, a validated {@code @RequestBody} for a POST) plus an
 * {@link dev.sseboot.core.EventChannel} for this connection. It returns {@code void} and may return at once: the
 * stream lives until the channel closes. Or it returns a publisher (a Reactive Streams {@code Publisher} such as
 * Reactor's {@code Flux<String>}, or a {@link java.util.concurrent.Flow.Publisher}), which is streamed as
 * {@link dev.sseboot.core.EventChannel#stream(org.reactivestreams.Publisher) EventChannel.stream} does: demand
 * follows the buffer, completion ends the stream, and a client that leaves cancels the subscription. An exception
 * thrown before it returns becomes an ordinary Spring MVC error response (a {@code ResponseStatusException(NOT_FOUND)}
 * gives a 404, which also stops a browser's {@code EventSource} from reconnecting). Response headers are sent once the
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

	/**
	 * Several topics on one stream, each a template as {@link #topic()} is (for instance
	 * {@code {"room.{room}", "room.{room}.presence"}}): one connection, and one {@code Last-Event-ID} that resumes
	 * every topic. Each event's id is {@code <topic> <cursor>}, so a page routes it by the text before the id's last
	 * space. Not together with {@link #topic()} or {@link #topicParam()}.
	 */
	String[] topics() default {};

	/**
	 * A query parameter each value of which is a topic of the stream ({@code /events?topic=a&topic=b}), at most
	 * {@code sse.topics.max-per-stream} of them (more: 400), as on a stream of {@link #topics()}. Since the client
	 * names the topics, start-up fails unless an {@link SseTopicAuthorizer} bean exists; every topic is authorized,
	 * and one denied topic refuses the request with 403.
	 */
	String topicParam() default "";

	/**
	 * Idle time before a heartbeat comment, such as {@code 10s}; {@code 0} disables; default
	 * {@code sse.heartbeat.interval}.
	 */
	String heartbeat() default "";

	/** Events buffered for this connection; default {@code sse.buffer.size}. */
	String bufferSize() default "";

	/**
	 * {@code block}, {@code drop-oldest}, {@code drop-newest}, {@code close} or {@code conflate}; default
	 * {@code sse.buffer.overflow}.
	 */
	String overflow() default "";

	/** Maximum lifetime of a stream, then closed with {@code TIMEOUT}; default {@code sse.timeout} (none). */
	String timeout() default "";

	/**
	 * {@code GET} (the default: what {@code EventSource} sends) or {@code POST} (a {@code fetch} that sends a body and
	 * reads the answer as a stream, as LLM chat clients, htmx and Datastar do); any other method fails at start-up.
	 * For a POST, {@code Last-Event-ID} means what it means for a GET: the channel's
	 * {@link dev.sseboot.core.EventChannel#lastEventId() lastEventId()}, and the replay point of its topic, if any.
	 */
	RequestMethod method() default RequestMethod.GET;

	/**
	 * The wire format of what the method returns (a publisher or an {@code SseRun}): {@code sse} (the default),
	 * {@code openai-chat} (OpenAI's Chat Completions chunks, then {@code [DONE]}; no comment heartbeats, and
	 * {@code Accept: application/json} answered too), {@code ai-sdk-ui} (the Vercel AI SDK UI message stream v1),
	 * or the name of an {@link dev.sseboot.core.SseFormat} bean. See {@link dev.sseboot.core.SseFormats}.
	 */
	String format() default "";

}

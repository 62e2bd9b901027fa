package dev.sseboot.web.servlet;

import java.io.OutputStream;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Function;

import dev.sseboot.core.ChannelSettings;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseFormat;
import dev.sseboot.core.SseFormats;
import dev.sseboot.core.SseRun;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseEndpointDefinition;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * Resolves an {@link SseEndpoint}'s attributes ({@code ${...}} placeholders included) against the defaults. A value
 * that does not parse fails start-up with a message naming the method, the attribute and the fix.
 */
final class SseEndpointResolver {

	private final Environment environment;

	private final SseWebMvcDefaults defaults;

	private final SseFormatsByName formats;

	/** Whether an {@code SseTopicAuthorizer} bean exists: a client may name topics only then. */
	private final boolean authorized;

	SseEndpointResolver(Environment environment, SseWebMvcDefaults defaults, SseFormatsByName formats,
			boolean authorized) {
		this.environment = environment;
		this.defaults = defaults;
		this.formats = formats;
		this.authorized = authorized;
	}

	SseEndpointDefinition resolve(SseEndpoint endpoint, String prefix, Method method) {
		String handler = method.getDeclaringClass().getSimpleName() + "." + method.getName();
		for (Class<?> parameter : method.getParameterTypes()) {
			if (OutputStream.class.isAssignableFrom(parameter) || Writer.class.isAssignableFrom(parameter)) {
				throw new IllegalStateException("@SseEndpoint method " + handler + " takes " + parameter.getSimpleName()
						+ ": an event stream's body is written by sse-boot; send events through the EventChannel");
			}
		}
		if (method.getReturnType() != void.class && !isPublisher(method.getReturnType()) && !returnsRun(method)) {
			throw new IllegalStateException("@SseEndpoint method " + handler + " returns "
					+ method.getReturnType().getSimpleName()
					+ ": it must return void and send through its EventChannel, "
					+ "return a Publisher (a Flux, a Flow.Publisher) to be streamed, "
					+ "or an SseRun (or Optional<SseRun>) to be attached to");
		}
		if (endpoint.method() != RequestMethod.GET && endpoint.method() != RequestMethod.POST) {
			throw new IllegalStateException("@SseEndpoint method " + handler + " has method = " + endpoint.method()
					+ ": an event stream answers GET (EventSource) or POST (fetch); use one of them");
		}
		String path = join(prefix, this.environment.resolveRequiredPlaceholders(endpoint.path()));
		String topic = text(endpoint.topic());
		String formatName = Objects.requireNonNullElse(text(endpoint.format()), SseFormats.SSE.name());
		SseFormat format = this.formats.get(formatName, handler);
		Duration heartbeat = value(endpoint.heartbeat(), handler, "heartbeat", DurationStyle::detectAndParse,
				this.defaults.heartbeat());
		if (!format.commentHeartbeats()) {
			if (text(endpoint.heartbeat()) != null && !heartbeat.isZero()) {
				throw new IllegalStateException("@SseEndpoint " + handler + " has heartbeat = \"" + endpoint.heartbeat()
						+ "\" in format " + formatName + ", whose clients fail on comment heartbeats: remove it");
			}
			heartbeat = Duration.ZERO;
		}
		int bufferSize = value(endpoint.bufferSize(), handler, "bufferSize", Integer::valueOf,
				this.defaults.channel().bufferSize());
		OverflowPolicy overflow = value(endpoint.overflow(), handler, "overflow", SseEndpointResolver::overflow,
				this.defaults.channel().overflow());
		Duration timeout = (text(endpoint.timeout()) != null)
				? value(endpoint.timeout(), handler, "timeout", DurationStyle::detectAndParse, Duration.ZERO)
				: this.defaults.timeout();
		if (heartbeat.isNegative() || bufferSize < 1
				|| (timeout != null && (timeout.isNegative() || timeout.isZero()))) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has an out-of-range setting (heartbeat "
					+ heartbeat + ", bufferSize " + bufferSize + ", timeout " + timeout
					+ "): heartbeat must be 0 or positive, bufferSize at least 1, timeout positive");
		}
		if (topic != null) {
			TopicTemplate.parse(handler, topic, path);
		}
		List<String> topics = templates(endpoint, handler, path);
		String topicParam = text(endpoint.topicParam());
		if ((topic != null ? 1 : 0) + (topics.isEmpty() ? 0 : 1) + (topicParam != null ? 1 : 0) > 1) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has more than one of topic, topics and "
					+ "topicParam: use topic for one topic, topics for several fixed ones, or topicParam for topics "
					+ "the client names");
		}
		if (topicParam != null && !this.authorized) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has topicParam = \"" + topicParam
					+ "\": its clients name the topics they read, so define an SseTopicAuthorizer bean that decides "
					+ "which topics a request may read (there is none; without one any client could read any topic)");
		}
		ChannelSettings channel = new ChannelSettings(bufferSize, overflow, this.defaults.channel().sendTimeout());
		return new SseEndpointDefinition(path, topic, heartbeat, channel, timeout, handler, formatName, topics,
				topicParam);
	}

	/** The templates of {@code topics}, resolved and checked as {@code topic}'s is. */
	private List<String> templates(SseEndpoint endpoint, String handler, String path) {
		List<String> templates = new ArrayList<>();
		for (String attribute : endpoint.topics()) {
			String template = text(attribute);
			if (template == null) {
				throw new IllegalStateException("@SseEndpoint " + handler + " has an empty entry in topics: name each "
						+ "topic, such as \"room.{room}\"");
			}
			TopicTemplate.parse(handler, template, path);
			if (!templates.contains(template)) {
				templates.add(template);
			}
		}
		return templates;
	}

	/** Whether a method's return type is one sse-boot streams: a Reactive Streams or a JDK {@code Flow} publisher. */
	static boolean isPublisher(Class<?> type) {
		return Publisher.class.isAssignableFrom(type)
				|| Flow.Publisher.class.isAssignableFrom(type);
	}

	/** Whether a method returns a run to attach to: {@code SseRun}, or {@code Optional<SseRun>}. */
	static boolean returnsRun(Method method) {
		if (SseRun.class.isAssignableFrom(method.getReturnType())) {
			return true;
		}
		return method.getReturnType() == Optional.class
				&& method.getGenericReturnType() instanceof ParameterizedType optional
				&& optional.getActualTypeArguments()[0] instanceof Class<?> element
				&& SseRun.class.isAssignableFrom(element);
	}

	private @Nullable String text(String attribute) {
		String resolved = this.environment.resolveRequiredPlaceholders(attribute);
		return StringUtils.hasText(resolved) ? resolved : null;
	}

	private <T> T value(String attribute, String handler, String name, Function<String, T> parser, T fallback) {
		String resolved = text(attribute);
		if (resolved == null) {
			return fallback;
		}
		try {
			return parser.apply(resolved.trim());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("@SseEndpoint " + handler + " has an invalid " + name + " \"" + resolved
					+ "\": " + ex.getMessage(), ex);
		}
	}

	static OverflowPolicy overflow(String value) {
		String name = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
		try {
			return OverflowPolicy.valueOf(name);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("use one of block, drop-oldest, drop-newest, close, conflate (got "
					+ value + ")");
		}
	}

	private static String join(String prefix, String path) {
		if (!StringUtils.hasText(prefix)) {
			return path.startsWith("/") ? path : "/" + path;
		}
		String head = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
		String tail = path.startsWith("/") || path.isEmpty() ? path : "/" + path;
		String joined = head + tail;
		return joined.startsWith("/") ? joined : "/" + joined;
	}

}

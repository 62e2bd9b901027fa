package dev.sseboot.sample;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A chat room on a topic, with a numbered message per room so the page can prove it missed none, and a demo that
 * cuts a connection and posts while the client is away.
 */
@RestController
class Chat {

	static final int MAX_TEXT = 500;

	static final int MAX_AUTHOR = 40;

	private final Broadcaster broadcaster;

	private final Map<String, AtomicLong> numbers = new ConcurrentHashMap<>();

	/** Shared message numbers when several instances serve the room (Redis mode); local ones otherwise. */
	private final @Nullable StringRedisTemplate redis;

	private final Map<String, EventChannel> connections = new ConcurrentHashMap<>();

	Chat(Broadcaster broadcaster, ObjectProvider<RedisConnectionFactory> redis,
			@Value("${sse.redis.enabled:false}") boolean multiNode) {
		this.broadcaster = broadcaster;
		RedisConnectionFactory factory = multiNode ? redis.getIfAvailable() : null;
		this.redis = (factory != null) ? new StringRedisTemplate(factory) : null;
	}

	record Message(String author, String text) {
	}

	record Posted(String id, long number) {
	}

	record Hello(String connection, String room, String resumedFrom) {
	}

	record ChatMessage(long number, String author, String text, String at) {
	}

	@SseEndpoint(path = "/chat/{room}", topic = "chat.{room}")
	void join(EventChannel channel, @PathVariable String room) {
		this.connections.put(channel.id(), channel);
		channel.onClose((reason) -> this.connections.remove(channel.id()));
		channel.send(SseEvent.of("hello", new Hello(channel.id(), room, channel.lastEventId().orElse(""))));
	}

	@PostMapping("/chat/{room}")
	Posted say(@PathVariable String room, @RequestBody Message message) {
		String author = requireText("author", message.author(), MAX_AUTHOR);
		String text = requireText("text", message.text(), MAX_TEXT);
		return publish(room, author, text);
	}

	/** Ends one connection (the browser reconnects with Last-Event-ID) and posts {@code whileAway} messages. */
	@PostMapping("/chat/{room}/cut/{connection}")
	Map<String, Object> cut(@PathVariable String room, @PathVariable String connection) {
		EventChannel channel = this.connections.get(connection);
		if (channel == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such connection");
		}
		if (channel instanceof DefaultEventChannel engine) {
			engine.close(CloseReason.CLIENT_GONE);
		}
		else {
			channel.close();
		}
		long first = 0;
		for (int i = 1; i <= 3; i++) {
			Posted posted = publish(room, "server", "sent while you were away (" + i + " of 3)");
			first = (i == 1) ? posted.number() : first;
		}
		return Map.of("cut", connection, "postedFrom", first, "count", 3);
	}

	private synchronized Posted publish(String room, String author, String text) {
		Long shared = (this.redis != null) ? this.redis.opsForValue().increment("sample:chat:" + room) : null;
		long number = (shared != null) ? shared
				: this.numbers.computeIfAbsent(room, (key) -> new AtomicLong()).incrementAndGet();
		String id = this.broadcaster.publish("chat." + room,
				SseEvent.of("message", new ChatMessage(number, author, text, Instant.now().toString())));
		return new Posted(id, number);
	}

	private static String requireText(String field, String value, int max) {
		if (value == null || value.isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " must not be blank");
		}
		if (value.length() > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + " must be at most " + max
					+ " characters");
		}
		return value.strip();
	}

}

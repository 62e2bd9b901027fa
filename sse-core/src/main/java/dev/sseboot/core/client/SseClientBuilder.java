package dev.sseboot.core.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of an {@link SseClient}, from {@link SseClient#builder(URI)}; only the URI is required.
 */
public final class SseClientBuilder {

	final URI uri;

	@Nullable HttpClient http;

	final Map<String, String> headers = new LinkedHashMap<>();

	String lastEventId = "";

	Duration readTimeout = Duration.ZERO;

	Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

	int maxEventSize = SseParser.DEFAULT_MAX_EVENT_SIZE;

	int queueCapacity = 10_000;

	SseClient.@Nullable Listener listener;

	SseClientBuilder(URI uri) {
		this.uri = Objects.requireNonNull(uri, "uri");
	}

	/** The HTTP client to share (for many connections); by default one HTTP/1.1 client for all. */
	public SseClientBuilder httpClient(HttpClient http) {
		this.http = http;
		return this;
	}

	/** A request header sent on every connection (such as {@code Authorization}). */
	public SseClientBuilder header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	/** The {@code Last-Event-ID} for the first connection; later ones send the last id received. */
	public SseClientBuilder lastEventId(String lastEventId) {
		this.lastEventId = Objects.requireNonNull(lastEventId, "lastEventId");
		return this;
	}

	/** How long a connection may stay silent before it counts as dropped; zero (the default) waits forever. */
	public SseClientBuilder readTimeout(Duration readTimeout) {
		if (readTimeout.isNegative()) {
			throw new IllegalArgumentException("SSE client read timeout must not be negative (got " + readTimeout
					+ "): use 0 to wait forever");
		}
		this.readTimeout = readTimeout;
		return this;
	}

	/** Delays used when the server sent no {@code retry}; 1 s doubling up to 30 s by default. */
	public SseClientBuilder backoff(Backoff backoff) {
		this.backoff = Objects.requireNonNull(backoff, "backoff");
		return this;
	}

	/** The longest line or event accepted, in bytes; 64 MiB by default. */
	public SseClientBuilder maxEventSize(int maxEventSize) {
		this.maxEventSize = maxEventSize;
		return this;
	}

	/** Events held for {@link SseClient#poll(Duration)} when there is no listener; 10,000 by default. */
	public SseClientBuilder queueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
		return this;
	}

	/** Delivers events and state changes to {@code listener} instead of the queue. */
	public SseClientBuilder listener(SseClient.Listener listener) {
		this.listener = listener;
		return this;
	}

	/** Builds the client, not yet connected: call {@link SseClient#start()}. */
	public SseClient build() {
		return new SseClient(this);
	}

}

package dev.sseboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Streams on many topics ({@code @SseEndpoint(topics = ...)} and {@code @SseEndpoint(topicParam = ...)}).
 */
@ConfigurationProperties("sse.topics")
public class SseTopicsProperties {

	/** The most a stream may be on; more (named by the client with topicParam) are refused with 400. */
	public static final int DEFAULT_MAX_PER_STREAM = 20;

	/**
	 * Topics one stream may be on: a request that names more through an endpoint's topicParam gets 400. Every
	 * event's id carries a position per topic, within the 1,024 bytes a Last-Event-ID may have.
	 */
	private int maxPerStream = DEFAULT_MAX_PER_STREAM;

	public int getMaxPerStream() {
		return this.maxPerStream;
	}

	public void setMaxPerStream(int maxPerStream) {
		if (maxPerStream < 1 || maxPerStream > 100) {
			throw new InvalidConfigurationPropertyValueException("sse.topics.max-per-stream", maxPerStream,
					"must be 1 to 100: every event's id holds a position per topic, within 1,024 bytes");
		}
		this.maxPerStream = maxPerStream;
	}

}

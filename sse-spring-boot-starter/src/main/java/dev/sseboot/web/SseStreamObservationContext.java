package dev.sseboot.web;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code sse.stream} observation of one stream knows: its endpoint and connection id from the start; its
 * close reason and counts once it has closed. An {@link SseStreamObservationConvention} reads it.
 */
public class SseStreamObservationContext extends Observation.Context {

	private final SseEndpointDefinition endpoint;

	private final String connectionId;

	private volatile @Nullable SseDisconnect disconnect;

	private volatile long bytesSent;

	public SseStreamObservationContext(SseEndpointDefinition endpoint, String connectionId) {
		this.endpoint = endpoint;
		this.connectionId = connectionId;
	}

	/** The endpoint the stream belongs to. */
	public SseEndpointDefinition getEndpoint() {
		return this.endpoint;
	}

	/** The stream's connection id (never the client's identity). */
	public String getConnectionId() {
		return this.connectionId;
	}

	/** How the stream ended, with its counts; {@code null} while it is open. */
	public @Nullable SseDisconnect getDisconnect() {
		return this.disconnect;
	}

	public void setDisconnect(SseDisconnect disconnect) {
		this.disconnect = disconnect;
	}

	/** Bytes written so far, heartbeats included. */
	public long getBytesSent() {
		return this.bytesSent;
	}

	public void setBytesSent(long bytesSent) {
		this.bytesSent = bytesSent;
	}

}

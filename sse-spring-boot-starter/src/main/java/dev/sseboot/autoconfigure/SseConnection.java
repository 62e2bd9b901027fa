package dev.sseboot.autoconfigure;

import java.time.Duration;

import dev.sseboot.core.ChannelListener;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One request to an {@code @SseEndpoint}: its channel and emitter, and what the observers need to know about it. It
 * becomes a stream when {@link #open()} is called, after the endpoint method returned; a connection discarded before
 * that (the method threw) is not reported to observers.
 */
public final class SseConnection implements ChannelListener {

	private final SseEndpointDefinition endpoint;

	private final SseEmitter emitter;

	private final SseConnections registry;

	private final @Nullable String lastEventId;

	private final @Nullable String principal;

	private volatile @Nullable DefaultEventChannel channel;

	private volatile boolean opened;

	private volatile boolean discarded;

	SseConnection(SseEndpointDefinition endpoint, SseEmitter emitter, SseConnections registry,
			@Nullable String lastEventId, @Nullable String principal) {
		this.endpoint = endpoint;
		this.emitter = emitter;
		this.registry = registry;
		this.lastEventId = lastEventId;
		this.principal = principal;
	}

	void bind(DefaultEventChannel channel) {
		this.channel = channel;
	}

	/** The endpoint this connection belongs to. */
	public SseEndpointDefinition endpoint() {
		return this.endpoint;
	}

	/** The channel the endpoint method sends to. */
	public DefaultEventChannel channel() {
		DefaultEventChannel current = this.channel;
		if (current == null) {
			throw new IllegalStateException("SSE connection has no channel yet");
		}
		return current;
	}

	/** The {@code Last-Event-ID} the client connected with, or {@code null}. */
	public @Nullable String lastEventId() {
		return this.lastEventId;
	}

	/** The authenticated user's name, or {@code null}. */
	public @Nullable String principal() {
		return this.principal;
	}

	/** How long this stream has been open (or was, once closed). */
	public Duration age() {
		DefaultEventChannel current = channel();
		return Duration.ofNanos(current.nanoTime() - current.openedAtNanos());
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	boolean isOpened() {
		return this.opened;
	}

	/** Makes this a stream: reported as opened, and its channel starts writing. */
	void open() {
		this.opened = true;
		this.registry.opened(this);
		channel().start();
	}

	/** Drops a connection that never became a stream, without reporting it. */
	void discard() {
		if (!this.opened) {
			this.discarded = true;
			channel().close(CloseReason.ERROR);
		}
	}

	@Override
	public void onSent(DefaultEventChannel channel, int events, int bytes) {
		this.registry.sent(this, events, bytes);
	}

	@Override
	public void onDropped(DefaultEventChannel channel, int events) {
		if (!this.discarded) {
			this.registry.dropped(this, events);
		}
	}

	@Override
	public void onClosed(DefaultEventChannel channel, CloseReason reason) {
		this.registry.closed(this, reason, this.opened && !this.discarded);
	}

	@Override
	public String toString() {
		DefaultEventChannel current = this.channel;
		return "SseConnection{" + this.endpoint.path() + ", " + ((current != null) ? current.id() : "unbound") + "}";
	}

}

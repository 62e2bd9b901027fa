package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.ChannelListener;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseEndpointDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One request to an {@code @SseEndpoint}: its channel and emitter, and what the observers need to know about it. It
 * becomes a stream when {@link #open()} is called, after the endpoint method returned, and then gets exactly one
 * close report, even when its channel closed while the method ran (too many events for the buffer, a full topic
 * start): that close is held back until the stream opens. A connection discarded instead (the method threw) is not
 * reported to observers, only its slot given back.
 */
final class SseConnection implements ChannelListener {

	private final SseEndpointDefinition endpoint;

	private final SseEmitter emitter;

	private final SseConnections registry;

	private final @Nullable String lastEventId;

	private final @Nullable String principal;

	private final String client;

	private volatile @Nullable DefaultEventChannel channel;

	private volatile boolean opened;

	private volatile boolean discarded;

	/** The channel's close reason when it closed before the connection was opened or discarded; guarded by this. */
	private @Nullable CloseReason closedEarly;

	SseConnection(SseEndpointDefinition endpoint, SseEmitter emitter, SseConnections registry,
			@Nullable String lastEventId, @Nullable String principal, String client) {
		this.endpoint = endpoint;
		this.emitter = emitter;
		this.registry = registry;
		this.lastEventId = lastEventId;
		this.principal = principal;
		this.client = client;
	}

	void bind(DefaultEventChannel channel) {
		this.channel = channel;
	}

	/** The endpoint this connection belongs to. */
	 SseEndpointDefinition endpoint() {
		return this.endpoint;
	}

	/** The channel the endpoint method sends to. */
	 DefaultEventChannel channel() {
		DefaultEventChannel current = this.channel;
		if (current == null) {
			throw new IllegalStateException("SSE connection has no channel yet");
		}
		return current;
	}

	/** The {@code Last-Event-ID} the client connected with, or {@code null}. */
	 @Nullable String lastEventId() {
		return this.lastEventId;
	}

	/** The authenticated user's name, or {@code null}. */
	 @Nullable String principal() {
		return this.principal;
	}

	/** How long this stream has been open (or was, once closed). */
	 Duration age() {
		DefaultEventChannel current = channel();
		return Duration.ofNanos(current.nanoTime() - current.openedAtNanos());
	}

	/** What the listeners and observers are told when this stream closed for {@code reason}. */
	SseDisconnect disconnect(CloseReason reason) {
		DefaultEventChannel current = channel();
		return new SseDisconnect(current.id(), this.endpoint.path(), reason, age(), current.eventsSent(),
				current.eventsDropped(), this.lastEventId, this.principal);
	}

	/** The key its slot is counted under for {@code sse.max-connections-per-client}; never reported. */
	String client() {
		return this.client;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	boolean isOpened() {
		return this.opened;
	}

	/** Makes this a stream: reported as opened (and as closed, if its channel already is), and starts writing. */
	void open() {
		CloseReason early;
		synchronized (this) {
			// one monitor with onClosed: a close either sees the stream opened in the registry, or is held back here
			this.opened = true;
			early = this.closedEarly;
			this.registry.opened(this);
		}
		if (early != null) {
			this.registry.closed(this, early, true);
		}
		channel().start();
	}

	/**
	 * Drops a connection that never became a stream, without reporting it. Idempotent: an error response is a
	 * second dispatch of the same request, which ends the same way.
	 */
	void discard() {
		CloseReason early;
		synchronized (this) {
			if (this.opened || this.discarded) {
				return;
			}
			this.discarded = true;
			early = this.closedEarly;
		}
		if (early != null) {
			this.registry.closed(this, early, false);
		}
		else {
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
		boolean stream;
		synchronized (this) {
			if (!this.opened && !this.discarded) {
				// the method is still running, or its response is being set up: open() or discard() decides
				this.closedEarly = reason;
				return;
			}
			stream = this.opened && !this.discarded;
		}
		this.registry.closed(this, reason, stream);
	}

	@Override
	public String toString() {
		DefaultEventChannel current = this.channel;
		return "SseConnection{" + this.endpoint.path() + ", " + ((current != null) ? current.id() : "unbound") + "}";
	}

}

package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.ChannelListener;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.EventChannel;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseStreamInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One request to an {@code @SseEndpoint}: its channel and emitter. It becomes a stream when {@link #open()} is
 * called, after the endpoint method returned, and from then on tells the observers what happens to it, each event
 * once, with its {@link SseStreamInfo}: opened, sent, dropped, and exactly one close, even when its channel closed
 * while the method ran (too many events for the buffer, a full topic start): that close is held back until the stream
 * opens. A connection discarded instead (the method threw) is not reported to observers, only its slot given back.
 * The registry only admits it and counts it open.
 */
final class SseConnection implements ChannelListener {

	private final SseEndpointDefinition endpoint;

	private final SseEmitter emitter;

	private final SseConnections registry;

	private final SseObservers observers;

	private final @Nullable String lastEventId;

	private final @Nullable String principal;

	private final String client;

	private volatile @Nullable DefaultEventChannel channel;

	/** What the observers are told of this stream; set with the channel. */
	private volatile @Nullable SseStreamInfo info;

	private volatile boolean opened;

	private volatile boolean discarded;

	/** The channel's close reason when it closed before the connection was opened or discarded; guarded by this. */
	private @Nullable CloseReason closedEarly;

	SseConnection(SseEndpointDefinition endpoint, SseEmitter emitter, SseConnections registry, SseObservers observers,
			@Nullable String lastEventId, @Nullable String principal, String client) {
		this.endpoint = endpoint;
		this.emitter = emitter;
		this.registry = registry;
		this.observers = observers;
		this.lastEventId = lastEventId;
		this.principal = principal;
		this.client = client;
	}

	void bind(DefaultEventChannel channel) {
		this.channel = channel;
		this.info = new SseStreamInfo(this.endpoint, channel.id(), this.principal, this.lastEventId);
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

	private SseStreamInfo info() {
		SseStreamInfo current = this.info;
		if (current == null) {
			throw new IllegalStateException("SSE connection has no channel yet");
		}
		return current;
	}

	/** What the listeners and observers are told when this stream closed for {@code reason}. */
	private SseDisconnect disconnect(CloseReason reason) {
		DefaultEventChannel current = channel();
		return new SseDisconnect(current.id(), this.endpoint.path(), reason,
				Duration.ofNanos(current.nanoTime() - current.openedAtNanos()), current.eventsSent(),
				current.eventsDropped(), this.lastEventId, this.principal);
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
			// one monitor with onClosed: a close either sees the stream opened (and told), or is held back here
			this.opened = true;
			early = this.closedEarly;
			SseStreamInfo stream = info();
			this.observers.tell((observer) -> observer.onOpened(stream));
			this.registry.opened(this);
		}
		if (early != null) {
			closed(early, true);
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
			closed(early, false);
		}
		else {
			channel().close(CloseReason.ERROR);
		}
	}

	@Override
	public void onSent(EventChannel channel, int events, int bytes) {
		SseStreamInfo stream = info();
		this.observers.tell((observer) -> observer.onSent(stream, events, bytes));
	}

	@Override
	public void onDropped(EventChannel channel, int events) {
		if (!this.discarded) {
			SseStreamInfo stream = info();
			this.observers.tell((observer) -> observer.onDropped(stream, events));
		}
	}

	@Override
	public void onClosed(EventChannel channel, CloseReason reason) {
		boolean stream;
		synchronized (this) {
			if (!this.opened && !this.discarded) {
				// the method is still running, or its response is being set up: open() or discard() decides
				this.closedEarly = reason;
				return;
			}
			stream = this.opened && !this.discarded;
		}
		closed(reason, stream);
	}

	/**
	 * Gives the slot back, and for a stream tells the observers, then leaves the open set: once a stream is no
	 * longer counted open, its listeners and meters know.
	 */
	private void closed(CloseReason reason, boolean stream) {
		this.registry.release(this.client);
		if (stream) {
			if (!this.observers.isEmpty()) {
				SseStreamInfo info = info();
				SseDisconnect disconnect = disconnect(reason);
				this.observers.tell((observer) -> observer.onClosed(info, disconnect));
			}
			this.registry.closed(this);
		}
	}

	@Override
	public String toString() {
		DefaultEventChannel current = this.channel;
		return "SseConnection{" + this.endpoint.path() + ", " + ((current != null) ? current.id() : "unbound") + "}";
	}

}

package dev.sseboot.core;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * The engine behind {@link EventChannel}: a bounded buffer in front of an {@link SseTransport}, drained on an
 * {@link Executor} by at most one task at a time.
 * <p>
 * A channel is created not yet started: events sent before {@link #start()} are buffered, and nothing touches the
 * transport until then (a web adapter starts it once the response may be committed). A drain writes only while the
 * transport is ready; when it is not, the drain ends and the transport's callback requests the next one, so no
 * thread ever waits on a client, and events wait in the bounded buffer, where the overflow policy applies at once.
 * <p>
 * Closing is decided once, by one compare-and-set, whatever races: the winner's reason is final; queued events are
 * written first only for {@link CloseReason#COMPLETED}, and otherwise discarded and counted as dropped. A last block
 * (a {@code retry:}, a publisher's error event) may follow everything queued without taking buffer room, so no close
 * ever waits for room. The transport is closed and the close callbacks run from the drain, after the last write, so
 * the counts they see are final.
 * <p>
 * Whatever the overflow policy, a client that takes no byte for the send timeout while bytes wait for it is closed as
 * {@link CloseReason#SLOW_CONSUMER}: the drain notes when it first finds the transport not ready, and a check on the
 * channels' timer closes the channel if it is still so a send timeout later. Nothing the timer or a drain runs ever
 * waits.
 */
public final class DefaultEventChannel implements EventChannel {

	/** Bytes one write takes from the buffer, about (see {@link ChannelDrain#WRITE_BUDGET}). */
	static final int WRITE_BUDGET = ChannelDrain.WRITE_BUDGET;

	private final String id;

	private final @Nullable String lastEventId;

	private final ChannelSettings settings;

	private final long sendTimeoutNanos;

	private final SseEncoder encoder;

	private final Executor publisherExecutor;

	private final ChannelListener listener;

	private final LongSupplier nanoClock;

	private final EventBuffer buffer;

	private final ChannelCounters counters = new ChannelCounters();

	private final ChannelClose close;

	private final CloseCallbacks closeCallbacks;

	private final ChannelDrain drain;

	private final long openedAtNanos;

	private static final AtomicIntegerFieldUpdater<DefaultEventChannel> STREAMING = AtomicIntegerFieldUpdater
		.newUpdater(DefaultEventChannel.class, "streaming");

	private volatile int streaming;

	DefaultEventChannel(EventChannelBuilder builder) {
		this.id = (builder.id != null) ? builder.id : UUID.randomUUID().toString();
		this.lastEventId = builder.lastEventId;
		this.settings = builder.settings;
		this.sendTimeoutNanos = EventBuffer.nanos(builder.settings.sendTimeout());
		this.encoder = builder.encoder;
		this.publisherExecutor = builder.publisherExecutor;
		this.listener = builder.listener;
		this.nanoClock = builder.nanoClock;
		this.buffer = new EventBuffer(builder.settings.bufferSize());
		this.openedAtNanos = this.nanoClock.getAsLong();
		this.closeCallbacks = new CloseCallbacks(this.id);
		this.close = new ChannelClose(this.buffer, this::dropped);
		this.drain = new ChannelDrain(this, builder.transport, this.buffer, this.close, this.counters, this::dropped,
				this.listener, this.closeCallbacks, builder.executor, builder.scheduler, this.nanoClock,
				this.sendTimeoutNanos, builder.preamble);
	}

	/** A builder for a channel writing to {@code transport}. */
	public static EventChannelBuilder builder(SseTransport transport) {
		return new EventChannelBuilder(transport);
	}

	/**
	 * Starts the transport, then lets the drain write: the preamble (if any), then whatever was sent so far. Call
	 * once the response may be committed. Idempotent.
	 */
	public void start() {
		this.drain.start();
	}

	@Override
	public boolean send(SseEvent event) {
		Objects.requireNonNull(event, "event");
		if (!isOpen()) {
			return false;
		}
		return handle(this.buffer.offer(EncodedEvents.of(this.encoder.encode(event)), true, event.key(),
				this.settings.overflow(), blockTimeoutNanos()), 1);
	}

	/**
	 * Queues events that are already encoded; the same instance may be queued on many channels. {@code overflow}
	 * overrides the channel's policy (a broadcaster passes {@link OverflowPolicy#CLOSE} so that a full subscriber
	 * never delays a publisher). Events queued this way are never pushed out by the channel's own
	 * {@link OverflowPolicy#DROP_OLDEST} sends. Returns as {@link #send(SseEvent)} does.
	 */
	boolean sendEncoded(EncodedEvents encoded, OverflowPolicy overflow) {
		Objects.requireNonNull(encoded, "encoded");
		return isOpen() && offer(encoded, false, overflow);
	}

	/**
	 * Queues a broadcaster's block of encoded events (a replay) as one item of the buffer, sharing the events rather
	 * than copying them; written in order, in writes of about {@value #WRITE_BUDGET} bytes at most. Otherwise as
	 * {@link #sendEncoded(EncodedEvents, OverflowPolicy)}.
	 */
	boolean sendEncoded(EncodedEvents[] block, OverflowPolicy overflow) {
		Objects.requireNonNull(block, "block");
		if (!isOpen()) {
			return false;
		}
		return handle(this.buffer.offerAll(block.clone(), overflow, blockTimeoutNanos()), EncodedEvents.count(block));
	}

	private boolean offer(EncodedEvents encoded, boolean own, OverflowPolicy overflow) {
		return handle(this.buffer.offer(encoded, own, overflow, blockTimeoutNanos()), encoded.events());
	}

	/**
	 * How long BLOCK waits for room: the send timeout, but not at all before start, since nothing drains then and
	 * waiting would only stall the sender (often the very thread that is to start the channel) for all of it.
	 */
	private long blockTimeoutNanos() {
		return this.drain.isStarted() ? this.sendTimeoutNanos : 0;
	}

	/** Acts on what the buffer decided for an offer of {@code events} events. */
	private boolean handle(EventBuffer.Offer offer, int events) {
		switch (offer.outcome()) {
			case ACCEPTED -> {
				this.drain.request();
				return true;
			}
			case ACCEPTED_DROPPING_OLDEST -> {
				dropped(offer.dropped());
				this.drain.request();
				return true;
			}
			case DROPPED_NEWEST -> {
				dropped(events);
				return true;
			}
			case FULL -> {
				dropped(events);
				close(CloseReason.SLOW_CONSUMER);
				return false;
			}
			case INTERRUPTED -> {
				dropped(events);
				return false;
			}
			default -> {
				return false;
			}
		}
	}

	@Override
	public void close() {
		close(CloseReason.COMPLETED);
	}

	@Override
	public void close(Duration retry) {
		end(CloseReason.COMPLETED, retry);
	}

	/**
	 * Ends the stream with {@code retry:} and then a clean end of the response, closing with {@code reason}. For
	 * {@link CloseReason#COMPLETED} (as {@link #close(Duration)}) everything accepted is written first; for any other
	 * reason ({@link CloseReason#UNAUTHORIZED} when an authorization ran out) nothing queued is written any more
	 * (discarded and counted as dropped), only the {@code retry:}. Never waits, whatever the overflow policy: the
	 * {@code retry:} takes no buffer room. Does nothing once the channel is closed.
	 */
	public void end(CloseReason reason, Duration retry) {
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(retry, "retry");
		endInput(reason, EncodedEvents.of(this.encoder.encode(SseEvent.builder().retry(retry).build())),
				reason != CloseReason.COMPLETED);
	}

	@Override
	public void stream(Flow.Publisher<?> publisher) {
		stream(publisher, PublisherSubscriber::defaultErrorEvent);
	}

	@Override
	public void stream(Flow.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
		stream(publisher, errorEvent, SseFormats.SSE.open(this.id));
	}

	/** As {@link #stream(Flow.Publisher)}, in a wire format (see {@link SseFormat.Frames}). */
	public void stream(Flow.Publisher<?> publisher, SseFormat.Frames frames) {
		stream(publisher, PublisherSubscriber::defaultErrorEvent, frames);
	}

	/**
	 * As {@link #stream(Flow.Publisher, Function)}, in a wire format: {@code frames} shape each item, and give the
	 * events written first, at completion and on an error (see {@link SseFormat.Frames}).
	 * @throws IllegalStateException when the channel already streams a publisher
	 * @throws IllegalArgumentException when a start frame cannot be encoded
	 */
	@SuppressWarnings("unchecked")
	public void stream(Flow.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent,
			SseFormat.Frames frames) {
		Objects.requireNonNull(publisher, "publisher");
		Objects.requireNonNull(errorEvent, "errorEvent");
		Objects.requireNonNull(frames, "frames");
		if (!STREAMING.compareAndSet(this, 0, 1)) {
			throw new IllegalStateException("SSE channel " + this.id + " already streams a publisher: one per channel");
		}
		for (SseEvent start : frames.start()) {
			send(start);
		}
		((Flow.Publisher<Object>) publisher)
			.subscribe(new PublisherSubscriber(this, errorEvent, frames, this.publisherExecutor));
	}

	@Override
	public void stream(Publisher<?> publisher) {
		stream(FlowAdapters.toFlowPublisher(publisher));
	}

	@Override
	public void stream(Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
		stream(FlowAdapters.toFlowPublisher(publisher), errorEvent);
	}

	/** Promises a publisher up to {@code wanted} places in the buffer; returns how many (see {@link EventBuffer}). */
	int reserve(int wanted) {
		return this.buffer.reserve(wanted);
	}

	/** Queues a publisher's item in a place {@link #reserve(int) promised} to it; returns as {@link #send} does. */
	boolean sendReserved(Object item) {
		SseEvent event = (item instanceof SseEvent sseEvent) ? sseEvent : SseEvent.of(item);
		if (!isOpen()) {
			return false;
		}
		return handle(this.buffer.offerReserved(EncodedEvents.of(this.encoder.encode(event)), this.settings.overflow(),
				blockTimeoutNanos()), 1);
	}

	void onRoom(Runnable listener) {
		this.drain.onRoom(listener);
	}

	/**
	 * Like {@link #close()}: what is queued is written first, then {@code last} (taking no buffer room), and the
	 * channel then closes with {@code reason}: a publisher's error ends its stream with its error event, then
	 * {@code ERROR}.
	 * @throws IllegalArgumentException when {@code last}'s data cannot be serialised
	 */
	void closeAfter(SseEvent last, CloseReason reason) {
		endInput(reason, EncodedEvents.of(this.encoder.encode(last)), false);
	}

	/** As {@link #closeAfter(SseEvent, CloseReason)}, with several last events (written in one piece). */
	void closeAfter(List<SseEvent> last, CloseReason reason) {
		if (last.size() == 1) {
			closeAfter(last.get(0), reason);
			return;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (SseEvent event : last) {
			bytes.writeBytes(this.encoder.encode(event));
		}
		endInput(reason, EncodedEvents.of(bytes.toByteArray()), false);
	}

	/**
	 * Ends the input once: the drain writes what is queued (unless {@code discardQueued}), then {@code last}, then
	 * closes with {@code reason}. A later call, or one after the channel closed, does nothing.
	 */
	private void endInput(CloseReason reason, @Nullable EncodedEvents last, boolean discardQueued) {
		if (this.close.endInput(reason, last, discardQueued)) {
			this.drain.request();
		}
	}

	/**
	 * Closes the channel for {@code reason}. {@link CloseReason#COMPLETED} writes what is queued first; any other
	 * reason discards it (counted as dropped). The first reason to arrive wins; later calls do nothing. This is how a
	 * transport reports a connection gone, a timeout, or shutdown.
	 */
	public void close(CloseReason reason) {
		if (reason == CloseReason.COMPLETED) {
			endInput(CloseReason.COMPLETED, null, false);
			return;
		}
		if (this.close.decide(reason)) {
			this.drain.request();
		}
	}

	@Override
	public boolean isOpen() {
		return !this.buffer.isInputClosed();
	}

	@Override
	public void onClose(Consumer<CloseReason> callback) {
		this.closeCallbacks.add(Objects.requireNonNull(callback, "callback"));
	}

	@Override
	public Optional<String> lastEventId() {
		return Optional.ofNullable(this.lastEventId);
	}

	@Override
	public String id() {
		return this.id;
	}

	/** Why the channel closed, once it has; empty while it is open or still writing its last events. */
	public Optional<CloseReason> closeReason() {
		return Optional.ofNullable(this.close.reason());
	}

	/** Events written and flushed so far. */
	public long eventsSent() {
		return this.counters.eventsSent();
	}

	/** Events that will never be written: overflow, or discarded on close. */
	public long eventsDropped() {
		return this.counters.eventsDropped();
	}

	/** Bytes written and flushed so far, heartbeats and preamble included. */
	public long bytesSent() {
		return this.counters.bytesSent();
	}

	/** The policy {@link #send(SseEvent)} applies when the buffer is full. */
	public OverflowPolicy overflowPolicy() {
		return this.settings.overflow();
	}

	/** When the channel was created, on its nano clock. */
	public long openedAtNanos() {
		return this.openedAtNanos;
	}

	/** The nano clock this channel measures with. */
	public long nanoTime() {
		return this.nanoClock.getAsLong();
	}

	/**
	 * The heartbeat's visit at {@code nowNanos}: asks the drain for a heartbeat when the channel has been idle for
	 * {@code intervalNanos} (see {@link ChannelDrain}); returns when the next visit is due. Never writes.
	 */
	long heartbeatDue(long intervalNanos, long nowNanos) {
		return this.drain.heartbeatDue(intervalNanos, nowNanos);
	}

	/** {@code events} events will never be written: counted and reported. */
	private void dropped(int events) {
		if (events > 0) {
			this.counters.dropped(events);
			this.listener.onDropped(this, events);
		}
	}

	@Override
	public String toString() {
		return "EventChannel{" + this.id + ", " + (isOpen() ? "open" : "closed " + this.close.reason()) + "}";
	}

}

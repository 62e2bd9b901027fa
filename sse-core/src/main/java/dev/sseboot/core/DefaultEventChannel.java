package dev.sseboot.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.FlowAdapters;

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

	private static final System.Logger logger = System.getLogger(DefaultEventChannel.class.getName());

	private static final EncodedEvents HEARTBEAT = new EncodedEvents(SseEncoder.heartbeat(), 0);

	private static final EncodedEvents[] NOTHING = new EncodedEvents[0];

	/**
	 * Bytes one write takes from the buffer, about (at least one event): coalescing stays, while what a container
	 * holds for a client that is not reading, and each write's copy, stay bounded whatever is queued.
	 */
	static final int WRITE_BUDGET = 64 * 1024;

	private final String id;

	private final @Nullable String lastEventId;

	private final ChannelSettings settings;

	private final long sendTimeoutNanos;

	private final SseEncoder encoder;

	private final SseTransport transport;

	private final Executor executor;

	private final Executor publisherExecutor;

	private final ScheduledExecutorService scheduler;

	private final ChannelListener listener;

	private final LongSupplier nanoClock;

	private final EventBuffer buffer;

	private final AtomicInteger drainRequests = new AtomicInteger();

	private final AtomicReference<@Nullable CloseReason> closeReason = new AtomicReference<>();

	private final AtomicBoolean heartbeatRequested = new AtomicBoolean();

	/** Whether the input was ended by a close that writes what is queued (or a last block) first. */
	private final AtomicBoolean inputEnded = new AtomicBoolean();

	/** Whether a check of the current stall is scheduled on the timer. */
	private final AtomicBoolean stallWatched = new AtomicBoolean();

	private final ChannelCounters counters = new ChannelCounters();

	private final CloseCallbacks closeCallbacks;

	private final long openedAtNanos;

	private volatile long lastWriteNanos;

	private volatile boolean started;

	private byte @Nullable [] preamble;

	/** Written after everything queued, before the end: a close's {@code retry:}, a publisher's error event. */
	private volatile @Nullable EncodedEvents trailer;

	/** Whether the drain found the transport not ready and it has not been ready since. */
	private volatile boolean stalled;

	/** When the current stall began, on the nano clock. */
	private volatile long stalledSinceNanos;

	private volatile @Nullable ScheduledFuture<?> stallCheck;

	/** The reason a close after writing everything ends with: COMPLETED, unless an error or a deadline asked another. */
	private volatile CloseReason completion = CloseReason.COMPLETED;

	/** Told when a write has made room in the buffer: a publisher being streamed, to request more. */
	private volatile @Nullable Runnable roomListener;

	private final AtomicBoolean streaming = new AtomicBoolean();

	/** Touched only by the drain that owns the transport. */
	private boolean finished;

	/** Whether the close reason is the completion's: everything accepted was written. */
	private boolean endedByCompletion;

	private boolean flushedOnce;

	private DefaultEventChannel(Builder builder) {
		this.id = (builder.id != null) ? builder.id : UUID.randomUUID().toString();
		this.lastEventId = builder.lastEventId;
		this.settings = builder.settings;
		this.sendTimeoutNanos = EventBuffer.nanos(builder.settings.sendTimeout());
		this.encoder = builder.encoder;
		this.transport = builder.transport;
		this.executor = builder.executor;
		this.publisherExecutor = builder.publisherExecutor;
		this.scheduler = builder.scheduler;
		this.listener = builder.listener;
		this.nanoClock = builder.nanoClock;
		this.preamble = builder.preamble;
		this.buffer = new EventBuffer(builder.settings.bufferSize());
		this.openedAtNanos = this.nanoClock.getAsLong();
		this.lastWriteNanos = this.openedAtNanos;
		this.closeCallbacks = new CloseCallbacks(this.id);
	}

	/** A builder for a channel writing to {@code transport}. */
	public static Builder builder(SseTransport transport) {
		return new Builder(transport);
	}

	/**
	 * Starts the transport, then lets the drain write: the preamble (if any), then whatever was sent so far. Call
	 * once the response may be committed. Idempotent.
	 */
	public void start() {
		if (!this.started) {
			try {
				this.transport.start(this::requestDrain);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "SSE channel " + this.id + " could not start its transport", ex);
				decide(CloseReason.ERROR);
			}
			this.started = true;
			requestDrain();
		}
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
	public boolean sendEncoded(EncodedEvents encoded, OverflowPolicy overflow) {
		Objects.requireNonNull(encoded, "encoded");
		return isOpen() && offer(encoded, false, overflow);
	}

	/**
	 * Queues a broadcaster's block of encoded events (a replay) as one item of the buffer, sharing the events rather
	 * than copying them; written in order, in writes of at most {@value #WRITE_BUDGET} bytes or so. Otherwise as
	 * {@link #sendEncoded(EncodedEvents, OverflowPolicy)}.
	 */
	public boolean sendEncoded(EncodedEvents[] block, OverflowPolicy overflow) {
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
		return this.started ? this.sendTimeoutNanos : 0;
	}

	/** Acts on what the buffer decided for an offer of {@code events} events. */
	private boolean handle(EventBuffer.Offer offer, int events) {
		switch (offer.outcome()) {
			case ACCEPTED -> {
				requestDrain();
				return true;
			}
			case ACCEPTED_DROPPING_OLDEST -> {
				dropped(offer.dropped());
				requestDrain();
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
	@SuppressWarnings("unchecked")
	public void stream(Flow.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
		Objects.requireNonNull(publisher, "publisher");
		Objects.requireNonNull(errorEvent, "errorEvent");
		if (!this.streaming.compareAndSet(false, true)) {
			throw new IllegalStateException("SSE channel " + this.id + " already streams a publisher: one per channel");
		}
		((Flow.Publisher<Object>) publisher)
			.subscribe(new PublisherSubscriber(this, errorEvent, this.publisherExecutor));
	}

	@Override
	public void stream(org.reactivestreams.Publisher<?> publisher) {
		stream(FlowAdapters.toFlowPublisher(publisher));
	}

	@Override
	public void stream(org.reactivestreams.Publisher<?> publisher, Function<? super Throwable, SseEvent> errorEvent) {
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
		this.roomListener = listener;
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

	/**
	 * Ends the input once: the drain writes what is queued (unless {@code discardQueued}), then {@code last}, then
	 * closes with {@code reason}. A later call, or one after the channel closed, does nothing.
	 */
	private void endInput(CloseReason reason, @Nullable EncodedEvents last, boolean discardQueued) {
		if (!this.inputEnded.compareAndSet(false, true)) {
			return;
		}
		// set before the input closes: a drain that finds it closed finds these
		this.completion = reason;
		this.trailer = last;
		if (discardQueued) {
			dropped(this.buffer.discard());
			requestDrain();
		}
		else if (this.buffer.closeInput()) {
			requestDrain();
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
		if (decide(reason)) {
			requestDrain();
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
		return Optional.ofNullable(this.closeReason.get());
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
	 * Asks the drain for a heartbeat when the channel has written nothing for {@code intervalNanos} and has nothing
	 * queued. Never writes on the calling thread.
	 */
	void heartbeatIfIdle(long intervalNanos) {
		if (this.started && this.closeReason.get() == null && this.buffer.isEmpty()
				&& this.nanoClock.getAsLong() - this.lastWriteNanos >= intervalNanos
				&& this.heartbeatRequested.compareAndSet(false, true)) {
			requestDrain();
		}
	}

	/**
	 * Makes {@code reason} the channel's close reason if none was decided yet, discarding (and counting) what is
	 * queued; returns whether this call decided. The one place a close reason is set, except COMPLETED, which the
	 * drain sets once everything accepted is written.
	 */
	private boolean decide(CloseReason reason) {
		if (this.closeReason.compareAndSet(null, reason)) {
			dropped(this.buffer.discard());
			return true;
		}
		return false;
	}

	private void dropped(int events) {
		if (events > 0) {
			this.counters.dropped(events);
			this.listener.onDropped(this, events);
		}
	}

	private void requestDrain() {
		if (this.drainRequests.getAndIncrement() == 0) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// No thread to write with (the executor is shutting down): end the stream without writing.
				decide(CloseReason.ERROR);
				drain();
			}
		}
	}

	private void drain() {
		int missed = 1;
		while (true) {
			try {
				drainOnce();
			}
			catch (RuntimeException | Error ex) {
				logger.log(Level.ERROR, "SSE channel " + this.id + " failed while draining", ex);
				decide(CloseReason.ERROR);
				finish();
			}
			missed = this.drainRequests.addAndGet(-missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private void drainOnce() {
		if (this.finished) {
			return;
		}
		if (this.closeReason.get() == null && this.started && ready()) {
			boolean taken;
			do {
				// a write takes at most WRITE_BUDGET: go on while the transport takes more and more is queued;
				// after the last one, asking once more starts the stall clock (and the transport's callback)
				taken = !writeNext() || ready();
			}
			while (taken && !this.buffer.isEmpty());
			if (taken && this.buffer.isInputClosed() && this.buffer.isEmpty()) {
				EncodedEvents last = this.trailer;
				if (last != null) {
					this.trailer = null;
					write(last);
					taken = ready();
				}
				if (taken) {
					// everything accepted is out, not merely handed to a transport that still holds it
					this.endedByCompletion = this.closeReason.compareAndSet(null, this.completion);
				}
			}
		}
		if (this.closeReason.get() != null) {
			finish();
		}
	}

	/** Writes what is queued, else a requested heartbeat, else the response head; returns whether it wrote. */
	private boolean writeNext() {
		EncodedEvents[] batch = this.buffer.take(WRITE_BUDGET);
		if (batch != null) {
			write(batch);
		}
		else if (this.heartbeatRequested.getAndSet(false)) {
			write(HEARTBEAT);
		}
		else if (this.preamble != null) {
			write(NOTHING);
		}
		else if (!this.flushedOnce) {
			// nothing to write yet: still push the response head out, so the client knows the stream is open
			flushOnly();
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * Whether the transport takes bytes now; when not, it requests the next drain once it does, and the first such
	 * answer of a stall starts its clock.
	 */
	private boolean ready() {
		if (this.closeReason.get() != null) {
			return false;
		}
		boolean ready;
		try {
			ready = this.transport.isReady();
		}
		catch (Exception ex) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.id + " is gone: " + ex);
			decide(CloseReason.CLIENT_GONE);
			return false;
		}
		if (ready) {
			this.stalled = false;
		}
		else if (!this.stalled) {
			this.stalledSinceNanos = this.nanoClock.getAsLong();
			this.stalled = true;
			watchStall(this.sendTimeoutNanos);
		}
		return ready;
	}

	/** Checks the stall after {@code delayNanos}, unless a check is scheduled already. */
	private void watchStall(long delayNanos) {
		if (this.stallWatched.compareAndSet(false, true)) {
			try {
				this.stallCheck = this.scheduler.schedule(this::checkStall, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// no timer (it is shutting down): the stream ends with the application, its timeout or its client
				this.stallWatched.set(false);
			}
		}
	}

	/** On the timer: a client that took no byte for the send timeout while bytes wait for it is a slow consumer. */
	private void checkStall() {
		this.stallWatched.set(false);
		if (!this.stalled || this.closeReason.get() != null) {
			return;
		}
		long waited = this.nanoClock.getAsLong() - this.stalledSinceNanos;
		if (waited >= this.sendTimeoutNanos) {
			if (decide(CloseReason.SLOW_CONSUMER)) {
				requestDrain();
			}
		}
		else {
			// the stall this check was for ended, and another began since
			watchStall(this.sendTimeoutNanos - waited);
		}
	}

	private void flushOnly() {
		this.flushedOnce = true;
		try {
			this.transport.flush();
		}
		catch (Exception ex) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.id + " flush failed: " + ex);
			decide(CloseReason.CLIENT_GONE);
		}
	}

	/** One write (which pushes the bytes out) of the preamble (first time only) and {@code items}. */
	private void write(EncodedEvents... items) {
		this.flushedOnce = true;
		byte[] payload = EncodedEvents.concat(this.preamble, items);
		this.preamble = null;
		int events = EncodedEvents.count(items);
		try {
			this.transport.write(payload);
		}
		catch (Exception ex) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.id + " write failed: " + ex);
			decide(CloseReason.CLIENT_GONE);
			dropped(events);
			return;
		}
		this.lastWriteNanos = this.nanoClock.getAsLong();
		// any write answers a heartbeat request: one left pending would make every later tick skip this channel
		this.heartbeatRequested.set(false);
		this.counters.sent(events, payload.length);
		this.listener.onSent(this, events, payload.length);
		Runnable room = this.roomListener;
		if (room != null && events > 0) {
			room.run();
		}
	}

	private void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		CloseReason reason = Objects.requireNonNull(this.closeReason.get());
		ScheduledFuture<?> check = this.stallCheck;
		if (check != null) {
			check.cancel(false);
		}
		try {
			// an ERROR after writing everything (a publisher's error event) ends the response cleanly
			if (reason == CloseReason.SLOW_CONSUMER || reason == CloseReason.CLIENT_GONE
					|| (reason == CloseReason.ERROR && !this.endedByCompletion)) {
				this.transport.abort();
			}
			else {
				this.transport.close();
			}
		}
		catch (RuntimeException ex) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.id + " transport close failed: " + ex);
		}
		try {
			this.listener.onClosed(this, reason);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "SSE channel listener failed on close of " + this.id, ex);
		}
		this.closeCallbacks.fire(reason);
	}

	@Override
	public String toString() {
		return "EventChannel{" + this.id + ", " + (isOpen() ? "open" : "closed " + this.closeReason.get()) + "}";
	}

	/** Collects what a channel needs; only the transport is required. */
	public static final class Builder {

		private final SseTransport transport;

		private @Nullable String id;

		private @Nullable String lastEventId;

		private ChannelSettings settings = ChannelSettings.defaults();

		private SseEncoder encoder = new SseEncoder();

		private Executor executor = SseExecutors.drainExecutor();

		private Executor publisherExecutor = SseExecutors.publisherExecutor();

		private ScheduledExecutorService scheduler = SseExecutors.timer();

		private ChannelListener listener = ChannelListener.NONE;

		private LongSupplier nanoClock = System::nanoTime;

		private byte @Nullable [] preamble;

		private @Nullable Heartbeat heartbeat;

		private Duration heartbeatInterval = Duration.ZERO;

		private Builder(SseTransport transport) {
			this.transport = Objects.requireNonNull(transport, "transport");
		}

		/** The connection id; a random UUID by default. */
		public Builder id(String id) {
			this.id = id;
			return this;
		}

		/** The client's {@code Last-Event-ID}, already validated; {@code null} when absent. */
		public Builder lastEventId(@Nullable String lastEventId) {
			this.lastEventId = lastEventId;
			return this;
		}

		/** Buffer size, overflow policy and send timeout; {@link ChannelSettings#defaults()} by default. */
		public Builder settings(ChannelSettings settings) {
			this.settings = Objects.requireNonNull(settings, "settings");
			return this;
		}

		/** The encoder for {@link EventChannel#send(SseEvent)}; text-only by default. */
		public Builder encoder(SseEncoder encoder) {
			this.encoder = Objects.requireNonNull(encoder, "encoder");
			return this;
		}

		/** Where drains run; {@link SseExecutors#drainExecutor()} by default. */
		public Builder executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		/**
		 * Where a streamed publisher's subscription is called ({@code request}, {@code cancel}), one call at a time:
		 * never a drain, since a synchronous publisher produces inside {@code request}.
		 * {@link SseExecutors#publisherExecutor()} by default.
		 */
		public Builder publisherExecutor(Executor publisherExecutor) {
			this.publisherExecutor = Objects.requireNonNull(publisherExecutor, "publisherExecutor");
			return this;
		}

		/**
		 * The timer for the channel's checks (a client that stopped taking bytes); its tasks never wait.
		 * {@link SseExecutors#timer()} by default.
		 */
		public Builder scheduler(ScheduledExecutorService scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		/** Who hears about sends, drops and the close. */
		public Builder listener(ChannelListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/** The clock for idle times; {@link System#nanoTime()} by default (tests pass their own). */
		public Builder nanoClock(LongSupplier nanoClock) {
			this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
			return this;
		}

		/** Bytes written before anything else once started (for instance a {@code retry:} block); not an event. */
		public Builder preamble(byte @Nullable [] preamble) {
			this.preamble = (preamble != null && preamble.length > 0) ? preamble.clone() : null;
			return this;
		}

		/** Heartbeats from {@code heartbeat} after {@code interval} idle; a zero interval disables them. */
		public Builder heartbeat(Heartbeat heartbeat, Duration interval) {
			this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
			this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
			return this;
		}

		/** Builds the channel, not yet started. */
		public DefaultEventChannel build() {
			DefaultEventChannel channel = new DefaultEventChannel(this);
			if (this.heartbeat != null) {
				this.heartbeat.register(channel, this.heartbeatInterval);
			}
			return channel;
		}

	}

}

package dev.sseboot.core;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The write side of one channel: the only code that touches its {@link SseTransport}. A drain runs on the executor,
 * at most one at a time, and writes while the transport is ready: first the preamble, then what is queued (about
 * {@link #WRITE_BUDGET} bytes a write), else a requested heartbeat, else, once, a flush of the response head. When
 * the input was ended it writes the close's last block and completes; when a reason was decided it finishes: ends
 * the transport (aborting it for a client that cannot be trusted to read) and reports the close, after the last
 * write, so the counts reported are final.
 * <p>
 * It also keeps the one rule that needs a clock: a client that takes no byte for the send timeout while bytes wait
 * for it is closed {@link CloseReason#SLOW_CONSUMER}. The drain notes when it first finds the transport not ready,
 * and one check per stall on the timer closes the channel if it still is.
 */
final class ChannelDrain {

	private static final System.Logger logger = System.getLogger(ChannelDrain.class.getName());

	private static final EncodedEvents HEARTBEAT = new EncodedEvents(SseEncoder.heartbeat(), 0);

	private static final EncodedEvents[] NOTHING = new EncodedEvents[0];

	/**
	 * Bytes one write takes from the buffer, about (at least one event): coalescing stays, while what a container
	 * holds for a client that is not reading, and each write's copy, stay bounded whatever is queued.
	 */
	static final int WRITE_BUDGET = 64 * 1024;

	private final DefaultEventChannel channel;

	private final SseTransport transport;

	private final EventBuffer buffer;

	private final ChannelClose close;

	private final ChannelCounters counters;

	private final IntConsumer dropped;

	private final ChannelListener listener;

	private final CloseCallbacks closeCallbacks;

	private final Executor executor;

	private final ScheduledExecutorService scheduler;

	private final LongSupplier nanoClock;

	private final long sendTimeoutNanos;

	private static final AtomicIntegerFieldUpdater<ChannelDrain> DRAIN_REQUESTS = AtomicIntegerFieldUpdater
		.newUpdater(ChannelDrain.class, "drainRequests");

	private static final AtomicIntegerFieldUpdater<ChannelDrain> HEARTBEAT_REQUESTED = AtomicIntegerFieldUpdater
		.newUpdater(ChannelDrain.class, "heartbeatRequested");

	private static final AtomicIntegerFieldUpdater<ChannelDrain> STALL_WATCHED = AtomicIntegerFieldUpdater
		.newUpdater(ChannelDrain.class, "stallWatched");

	private volatile int drainRequests;

	/** 1 while a heartbeat is asked for and not written yet. */
	private volatile int heartbeatRequested;

	/** 1 while a check of the current stall is scheduled on the timer. */
	private volatile int stallWatched;

	private volatile boolean started;

	private volatile long lastWriteNanos;

	/** Whether the drain found the transport not ready and it has not been ready since. */
	private volatile boolean stalled;

	/** When the current stall began, on the nano clock. */
	private volatile long stalledSinceNanos;

	private volatile @Nullable ScheduledFuture<?> stallCheck;

	/** Told when a write has made room in the buffer: a publisher being streamed, to request more. */
	private volatile @Nullable Runnable roomListener;

	/** Touched only by the drain that owns the transport, as are the fields below. */
	private byte @Nullable [] preamble;

	private boolean finished;

	/** Whether the close reason is the completion's: everything accepted was written. */
	private boolean endedByCompletion;

	private boolean flushedOnce;

	/**
	 * @param dropped told how many events a failed write lost
	 * @param preamble bytes written before anything else (a {@code retry:} block), or {@code null}
	 */
	ChannelDrain(DefaultEventChannel channel, SseTransport transport, EventBuffer buffer, ChannelClose close,
			ChannelCounters counters, IntConsumer dropped, ChannelListener listener, CloseCallbacks closeCallbacks,
			Executor executor, ScheduledExecutorService scheduler, LongSupplier nanoClock, long sendTimeoutNanos,
			byte @Nullable [] preamble) {
		this.channel = channel;
		this.transport = transport;
		this.buffer = buffer;
		this.close = close;
		this.counters = counters;
		this.dropped = dropped;
		this.listener = listener;
		this.closeCallbacks = closeCallbacks;
		this.executor = executor;
		this.scheduler = scheduler;
		this.nanoClock = nanoClock;
		this.sendTimeoutNanos = sendTimeoutNanos;
		this.preamble = preamble;
		this.lastWriteNanos = nanoClock.getAsLong();
	}

	/** Starts the transport, then lets the drain write. Idempotent. */
	void start() {
		if (!this.started) {
			try {
				this.transport.start(this::request);
			}
			catch (RuntimeException ex) {
				logger.log(Level.WARNING, "SSE channel " + this.channel.id() + " could not start its transport", ex);
				this.close.decide(CloseReason.ERROR);
			}
			this.started = true;
			request();
		}
	}

	/** Whether {@link #start()} was called: until then nothing drains, so nothing could make room. */
	boolean isStarted() {
		return this.started;
	}

	void onRoom(Runnable listener) {
		this.roomListener = listener;
	}

	/**
	 * Asks for a heartbeat when the channel has written nothing for {@code intervalNanos} by {@code nowNanos} and has
	 * nothing queued; returns when to look again: one interval after the last write if there was one since, else one
	 * interval from now (a heartbeat asked for now, or a channel not started, busy or stalled). Never writes on the
	 * calling thread.
	 */
	long heartbeatDue(long intervalNanos, long nowNanos) {
		if (this.started && !this.close.isDecided() && this.buffer.isEmpty()) {
			long lastWrite = this.lastWriteNanos;
			if (nowNanos - lastWrite < intervalNanos) {
				return lastWrite + intervalNanos;
			}
			if (HEARTBEAT_REQUESTED.compareAndSet(this, 0, 1)) {
				request();
			}
		}
		return nowNanos + intervalNanos;
	}

	/** Asks for a drain: runs one on the executor unless one is running or asked for already, which then goes on. */
	void request() {
		if (DRAIN_REQUESTS.getAndIncrement(this) == 0) {
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// No thread to write with (the executor is shutting down): end the stream without writing.
				this.close.decide(CloseReason.ERROR);
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
				logger.log(Level.ERROR, "SSE channel " + this.channel.id() + " failed while draining", ex);
				this.close.decide(CloseReason.ERROR);
				finish();
			}
			missed = DRAIN_REQUESTS.addAndGet(this, -missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private void drainOnce() {
		if (this.finished) {
			return;
		}
		if (!this.close.isDecided() && this.started && ready()) {
			boolean taken;
			do {
				// a write takes at most WRITE_BUDGET: go on while the transport takes more and more is queued;
				// after the last one, asking once more starts the stall clock (and the transport's callback)
				taken = !writeNext() || ready();
			}
			while (taken && !this.buffer.isEmpty());
			if (taken && this.buffer.isInputClosed() && this.buffer.isEmpty()) {
				EncodedEvents last = this.close.takeTrailer();
				if (last != null) {
					write(last);
					taken = ready();
				}
				if (taken) {
					// everything accepted is out, not merely handed to a transport that still holds it
					this.endedByCompletion = this.close.complete();
				}
			}
		}
		if (this.close.isDecided()) {
			finish();
		}
	}

	/** Writes what is queued, else a requested heartbeat, else the response head; returns whether it wrote. */
	private boolean writeNext() {
		EncodedEvents[] batch = this.buffer.take(WRITE_BUDGET);
		if (batch != null) {
			write(batch);
		}
		else if (HEARTBEAT_REQUESTED.getAndSet(this, 0) == 1) {
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
		if (this.close.isDecided()) {
			return false;
		}
		boolean ready;
		try {
			ready = this.transport.isReady();
		}
		catch (Exception ex) {
			logger.log(Level.DEBUG, () -> "SSE channel " + this.channel.id() + " is gone: " + ex);
			this.close.decide(CloseReason.CLIENT_GONE);
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
		if (STALL_WATCHED.compareAndSet(this, 0, 1)) {
			try {
				this.stallCheck = this.scheduler.schedule(this::checkStall, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// no timer (it is shutting down): the stream ends with the application, its timeout or its client
				this.stallWatched = 0;
			}
		}
	}

	/** On the timer: a client that took no byte for the send timeout while bytes wait for it is a slow consumer. */
	private void checkStall() {
		this.stallWatched = 0;
		if (!this.stalled || this.close.isDecided()) {
			return;
		}
		long waited = this.nanoClock.getAsLong() - this.stalledSinceNanos;
		if (waited >= this.sendTimeoutNanos) {
			if (this.close.decide(CloseReason.SLOW_CONSUMER)) {
				request();
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
			logger.log(Level.DEBUG, () -> "SSE channel " + this.channel.id() + " flush failed: " + ex);
			this.close.decide(CloseReason.CLIENT_GONE);
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
			logger.log(Level.DEBUG, () -> "SSE channel " + this.channel.id() + " write failed: " + ex);
			this.close.decide(CloseReason.CLIENT_GONE);
			if (events > 0) {
				this.dropped.accept(events);
			}
			return;
		}
		this.lastWriteNanos = this.nanoClock.getAsLong();
		// any write answers a heartbeat request: one left pending would make every later tick skip this channel
		this.heartbeatRequested = 0;
		this.counters.sent(events, payload.length);
		this.listener.onSent(this.channel, events, payload.length);
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
		CloseReason reason = Objects.requireNonNull(this.close.reason());
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
			logger.log(Level.DEBUG, () -> "SSE channel " + this.channel.id() + " transport close failed: " + ex);
		}
		try {
			this.listener.onClosed(this.channel, reason);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "SSE channel listener failed on close of " + this.channel.id(), ex);
		}
		this.closeCallbacks.fire(reason);
	}

}

package dev.sseboot.core;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * How one channel's stream ends, decided once whatever races, and shared by the side that accepts events and the
 * drain that writes them. Either a reason is decided at once ({@link #decide}: what is queued is discarded and
 * counted as dropped), or the input is ended ({@link #endInput}: what is queued is written, then a last block that
 * takes no buffer room, and the drain {@link #complete() completes} with the reason asked for). The first reason to
 * be decided stands.
 */
final class ChannelClose {

	private final EventBuffer buffer;

	private final IntConsumer dropped;

	private static final AtomicReferenceFieldUpdater<ChannelClose, CloseReason> REASON = AtomicReferenceFieldUpdater
		.newUpdater(ChannelClose.class, CloseReason.class, "reason");

	private static final AtomicIntegerFieldUpdater<ChannelClose> INPUT_ENDED = AtomicIntegerFieldUpdater
		.newUpdater(ChannelClose.class, "inputEnded");

	private volatile @Nullable CloseReason reason;

	/** 1 once the input is ended. */
	private volatile int inputEnded;

	/**
	 * The reason a close after writing everything ends with: COMPLETED, unless an error or a deadline asked another.
	 */
	private volatile CloseReason completion = CloseReason.COMPLETED;

	/** Written after everything queued, before the end: a close's {@code retry:}, a publisher's error event. */
	private volatile @Nullable EncodedEvents trailer;

	/** @param dropped told how many events a decision discarded */
	ChannelClose(EventBuffer buffer, IntConsumer dropped) {
		this.buffer = buffer;
		this.dropped = dropped;
	}

	/**
	 * Makes {@code reason} the close reason if none was decided yet, discarding (and counting) what is queued;
	 * returns whether this call decided.
	 */
	boolean decide(CloseReason reason) {
		if (REASON.compareAndSet(this, null, reason)) {
			int discarded = this.buffer.discard();
			if (discarded > 0) {
				this.dropped.accept(discarded);
			}
			return true;
		}
		return false;
	}

	/**
	 * Ends the input once: the drain writes what is queued (unless {@code discardQueued}, when it is dropped), then
	 * {@code last}, then completes with {@code completion}. Returns whether this call ended it; a later call, or one
	 * after a reason was decided, changes nothing.
	 */
	boolean endInput(CloseReason completion, @Nullable EncodedEvents last, boolean discardQueued) {
		if (!INPUT_ENDED.compareAndSet(this, 0, 1)) {
			return false;
		}
		// set before the input closes: a drain that finds it closed finds these
		this.completion = completion;
		this.trailer = last;
		if (discardQueued) {
			int discarded = this.buffer.discard();
			if (discarded > 0) {
				this.dropped.accept(discarded);
			}
			return true;
		}
		return this.buffer.closeInput();
	}

	/** The last block to write once everything queued is out, once; {@code null} when there is none (left). */
	@Nullable EncodedEvents takeTrailer() {
		EncodedEvents last = this.trailer;
		this.trailer = null;
		return last;
	}

	/** Everything accepted is out: decides the completion's reason; returns whether that decided the close. */
	boolean complete() {
		return REASON.compareAndSet(this, null, this.completion);
	}

	/** The reason decided; {@code null} while the stream is open or still writing its last events. */
	@Nullable CloseReason reason() {
		return this.reason;
	}

	boolean isDecided() {
		return this.reason != null;
	}

}

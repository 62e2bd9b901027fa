package dev.sseboot.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A channel's {@link EventChannel#onClose(Consumer)} callbacks: each runs once with the reason, those added before
 * the close when it fires, those added after it at once. One that throws is logged and does not stop the others.
 */
final class CloseCallbacks {

	private static final System.Logger logger = System.getLogger(CloseCallbacks.class.getName());

	private final String channelId;

	/** Guarded by this; {@code null} once fired. */
	private @Nullable List<Consumer<CloseReason>> pending = new ArrayList<>(2);

	/** Set before {@link #pending} is cleared; guarded by this. */
	private @Nullable CloseReason reason;

	CloseCallbacks(String channelId) {
		this.channelId = channelId;
	}

	/** Adds {@code callback}, or runs it now when the callbacks have fired. */
	void add(Consumer<CloseReason> callback) {
		CloseReason fired;
		synchronized (this) {
			if (this.pending != null) {
				this.pending.add(callback);
				return;
			}
			fired = this.reason;
		}
		run(callback, Objects.requireNonNull(fired));
	}

	/** Runs every callback added so far with {@code reason}, once; later ones run as they are added. */
	void fire(CloseReason reason) {
		List<Consumer<CloseReason>> callbacks;
		synchronized (this) {
			if (this.pending == null) {
				return;
			}
			callbacks = this.pending;
			this.reason = reason;
			this.pending = null;
		}
		callbacks.forEach((callback) -> run(callback, reason));
	}

	private void run(Consumer<CloseReason> callback, CloseReason reason) {
		try {
			callback.accept(reason);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "SSE close callback failed for channel " + this.channelId, ex);
		}
	}

}

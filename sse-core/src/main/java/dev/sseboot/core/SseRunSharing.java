package dev.sseboot.core;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * SPI: shares {@link InMemorySseRuns runs} between instances (the starter's Redis mode). The instance that starts a
 * run runs its publisher and {@link #share(String) shares} its events; any other instance {@link #follow follows} a
 * run it does not hold into a copy of its own, which its clients attach to as to a run of its own. A stop reaches the
 * instance that runs the publisher; a client attached elsewhere keeps a run from being orphaned; and when the
 * instance that runs it is gone, a follower ends its copy as {@link SseRun.Outcome#LOST} with an {@code error} event.
 * <p>
 * Nothing here is called with a lock held that an attach waits for, but {@link Events} calls are made under the run's
 * own lock, in order, and must never wait.
 */
public interface SseRunSharing {

	/** Called once, by the runs, before anything else: how the sharing reaches them (a stop from elsewhere). */
	void open(Host host);

	/**
	 * A run starts here: where its events go. Called once per run before its first event; its calls come in
	 * run order, under the run's lock, and must not wait (queue them).
	 */
	Events share(String runId);

	/** Whether some instance holds a run of this id (running or retained). May wait for the shared store. */
	boolean exists(String runId);

	/**
	 * Copies the run's events into {@code into}: what is stored now before it returns, then live, until the run's
	 * end is copied or the follow is closed. When the instance that runs it is gone (its lease lapsed), ends
	 * {@code into} with {@link SseRun.Outcome#LOST} and an {@code error} event. While {@code attached} says so (read
	 * often, never waits), the instance that runs it learns that a client is attached here. May wait for the shared
	 * store.
	 */
	Follow follow(String runId, Events into, BooleanSupplier attached);

	/**
	 * Asks the instance that runs the run to stop it.
	 * @return whether a running run of that id was known (the stop itself happens there, a moment later)
	 */
	boolean stop(String runId);

	/** Whether a client is attached to the run on another instance now; read locally, never waits. */
	boolean attachedElsewhere(String runId);

	/** A run's events, in order. */
	interface Events {

		/** The event at {@code sequence}: an {@link SseEvent}, text, or another item (shared as its data). */
		void append(long sequence, Object item);

		/** The run ended with {@code outcome}; {@code last} (its error event) is its last event when not null. */
		void end(SseRun.Outcome outcome, @Nullable SseEvent last);

	}

	/** A follow: closing it stops the copying. */
	interface Follow extends AutoCloseable {

		@Override
		void close();

	}

	/** The runs' side. */
	interface Host {

		/**
		 * Stops the run if it runs here (asked from another instance, or its lease here was lost).
		 * @return whether it ran here and was stopped
		 */
		boolean stop(String runId, SseRun.Outcome outcome);

	}

}

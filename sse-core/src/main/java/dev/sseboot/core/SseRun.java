package dev.sseboot.core;

import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One run of a publisher that outlives its clients (a model's answer): its items become events, each with an id in
 * run order, kept so that a client can attach, leave and attach again (a refresh, a second tab, another instance)
 * and get every event once, in order. Started by {@link SseRuns#start(java.util.concurrent.Flow.Publisher)}.
 * <p>
 * Event ids are {@code <run id>:<sequence>}, the sequence counting from 0, so a client's {@code Last-Event-ID} says
 * both the run and where it stopped. An {@code @SseEndpoint} method that returns a run streams it (see the starter),
 * and sends the run's id in the {@value #RUN_ID_HEADER} response header before the first event.
 */
public interface SseRun {

	/** The response header that carries the run's id, sent before any event. */
	String RUN_ID_HEADER = "SSE-Run-Id";

	/** The run's id: random, 22 URL-safe characters; it names the run on every instance. */
	String id();

	/** How the run ended; empty while it runs. */
	Optional<Outcome> outcome();

	/** Whether the run has ended (its last event is kept; attaching still sends what a client has not seen). */
	default boolean isEnded() {
		return outcome().isPresent();
	}

	/**
	 * Streams this run into {@code channel}: every event after {@code lastEventId} (all of them when it is
	 * {@code null} or names another run), then live events, then, once the run has ended and everything was sent,
	 * the channel is closed. Its demand follows the channel's buffer, so a slow client reads at its own pace and never
	 * holds the run back. The channel closing (the client left) detaches it; the run goes on.
	 * @return {@code false}, and nothing attached, when there is nothing left to send: the run has ended and
	 * {@code lastEventId} is its last event's (an HTTP endpoint answers 204 then)
	 */
	default boolean attach(EventChannel channel, @Nullable String lastEventId) {
		return attach(channel, lastEventId, SseFormats.SSE);
	}

	/**
	 * As {@link #attach(EventChannel, String)}, in a wire format: the run's events become {@code format}'s frames
	 * (each keeping the run's id), with its start, end and error frames.
	 */
	boolean attach(EventChannel channel, @Nullable String lastEventId, SseFormat format);

	/** How a run ended: the tag {@code outcome} of the meter {@code sse.runs.ended}. */
	enum Outcome {

		/** The publisher completed. */
		COMPLETED,

		/** The publisher failed: the run's last event is named {@code error} and carries the message. */
		ERROR,

		/** {@link SseRuns#stop(String)} stopped it. */
		STOPPED,

		/** Nobody was attached for the orphan timeout: cancelled. */
		ORPHANED,

		/** The instance that ran the publisher is gone (the Redis mode): the run's last event is an {@code error}. */
		LOST;

		/** The tag value: the name in lower case. */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}

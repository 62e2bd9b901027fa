package dev.sseboot.core;

import java.util.Optional;
import java.util.concurrent.Flow;

import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * Runs: publishers whose events outlive the request that started them (see {@link SseRun}). A client that leaves
 * does not stop a run; it is cancelled when nobody has been attached for the orphan timeout, or by
 * {@link #stop(String)}. A run's events are kept for the retention after it ended (at most the maximum of events),
 * so a client that comes back in that time gets the whole answer.
 * <p>
 * {@link InMemorySseRuns} keeps runs in this process; the starter's Redis mode keeps them in Redis, so that a
 * client attaches on any instance and a stop works from any instance.
 */
public interface SseRuns {

	/**
	 * Starts a run of {@code publisher}: subscribes now and stores each item as an event (an {@link SseEvent} as is,
	 * its id replaced by the run's; anything else as its data). The publisher's {@code request} and {@code cancel} are
	 * called off the caller's thread, one at a time.
	 */
	SseRun start(Flow.Publisher<?> publisher);

	/** As {@link #start(Flow.Publisher)}, for a Reactive Streams publisher (Reactor's {@code Flux}, for instance). */
	default SseRun start(Publisher<?> publisher) {
		return start(FlowAdapters.toFlowPublisher(publisher));
	}

	/** The run with this id, while it runs or is retained; empty for an unknown or expired one. */
	Optional<SseRun> find(String id);

	/**
	 * Stops the run: its publisher is cancelled, attached clients get every event stored so far and their streams
	 * end. Works from any instance where runs are shared.
	 * @return whether a running run of that id was found and stopped
	 */
	boolean stop(String id);

	/** Runs going on now (in this process for {@link InMemorySseRuns}): the gauge {@code sse.runs.active}. */
	int active();

	/** Runs that ended with {@code outcome} so far (here): the counter {@code sse.runs.ended}. */
	long ended(SseRun.Outcome outcome);

}

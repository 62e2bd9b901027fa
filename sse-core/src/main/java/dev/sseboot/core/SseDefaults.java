package dev.sseboot.core;

import java.time.Duration;

/**
 * The one home of sse-boot's defaults. The Spring properties take their defaults from here, and a test holds them
 * to it.
 */
public final class SseDefaults {

	/** Idle time before a heartbeat comment is written on a connection. */
	public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(15);

	/** Events buffered per connection before the overflow policy applies. */
	public static final int BUFFER_SIZE = 256;

	/** What {@code send} does when a connection's buffer is full. */
	public static final OverflowPolicy OVERFLOW = OverflowPolicy.BLOCK;

	/** How long {@link OverflowPolicy#BLOCK} waits for room before closing a slow consumer. */
	public static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

	/** Open streams per instance before new ones are refused. */
	public static final int MAX_CONNECTIONS = 10_000;

	/** Events kept per topic for {@code Last-Event-ID} replay. */
	public static final int REPLAY_SIZE = 1_000;

	/** Bytes one client's replay may hold; a client that missed more gets {@code sse-reset}. */
	public static final long REPLAY_MAX_BYTES = 4L * 1024 * 1024;

	/** How long a topic without subscribers keeps its events after its last publish or subscriber. */
	public static final Duration REPLAY_IDLE_EXPIRY = Duration.ofMinutes(10);

	/**
	 * The {@code retry:} a refused stream request gets (jittered between half and one and a half times it), so that
	 * its client comes back later, spread out.
	 */
	public static final Duration REFUSAL_RETRY = Duration.ofSeconds(3);

	/** How long a run goes on with nobody attached before it is cancelled. */
	public static final Duration RUNS_ORPHAN_TIMEOUT = Duration.ofSeconds(30);

	/** How long a run's events are kept after it ended. */
	public static final Duration RUNS_RETENTION = Duration.ofMinutes(10);

	/** Events a run keeps: past them the oldest go, and a client that attaches before them gets {@code sse-reset}. */
	public static final int RUNS_MAX_EVENTS = 10_000;

	/** Longest {@code Last-Event-ID} request header accepted, in UTF-8 bytes. */
	public static final int MAX_LAST_EVENT_ID_BYTES = 1024;

	private SseDefaults() {
	}

}

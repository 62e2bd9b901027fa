package dev.sseboot.system;

import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One scenario of the run: its window of time, and what it explains. Every check of the run attributes what it finds
 * to the scenario whose window holds it; a reset, a failed publish or an nginx error is only allowed where the
 * scenario explains it.
 *
 * @param name what happens, as reported
 * @param from when it began (epoch ms)
 * @param to when it ended, every client streaming again and caught up (epoch ms)
 * @param resetTopics the topics whose clients get one {@code sse-reset} in it (Redis lost their events), else empty
 * @param failures which failed publishes it explains (status -1 is a failure without a response)
 * @param maxFailures how many it explains at most
 * @param nginxErrors the nginx error-log lines it explains
 */
record Scenario(String name, long from, long to, Set<String> resetTopics, Predicate<Publisher.Published> failures,
		int maxFailures, Pattern nginxErrors) {

	/** Lines nginx logs when an instance is stopped (refused connects and the failover they cause). */
	static final String INSTANCE_GONE = "connect\\(\\) failed \\(111: Connection refused\\) while connecting to "
			+ "upstream"
			+ "|upstream server temporarily disabled while connecting to upstream";

	/** Lines nginx logs when an instance dies under its streams (a crash). */
	static final String INSTANCE_DIED = "upstream prematurely closed connection while "
			+ "(reading upstream|sending to client)"
			+ "|recv\\(\\) failed \\(104: Connection reset by peer\\) while reading upstream"
			+ "|upstream prematurely closed connection while reading response header from upstream"
			+ "|recv\\(\\) failed \\(104: Connection reset by peer\\) while reading response header from upstream";

	/**
	 * Lines nginx logs when an instance's listening socket closes with a request in its backlog: the request is reset
	 * unanswered, and nginx resends it to the next instance unless it is a POST, which it answers 502. A connection
	 * still in the backlog when the socket closes is reset before anything was sent ("while connecting"): nginx
	 * tries the next instance, POST included.
	 */
	static final String RESET_ON_STOP = "recv\\(\\) failed \\(104: Connection reset by peer\\) while reading response "
			+ "header from upstream|upstream prematurely closed connection while reading response header from upstream"
			+ "|connect\\(\\) failed \\(104: Connection reset by peer\\) while connecting to upstream";

	/** Lines nginx logs when no instance is up. */
	static final String NONE_UP = "no live upstreams while connecting to upstream";

	/** Nothing: no reset, no failed publish, no nginx error. */
	static Scenario steady(String name, long from, long to) {
		return new Scenario(name, from, to, Set.of(), (p) -> false, 0, Pattern.compile("(?!)"));
	}

	/** A publish that an instance's closing listener reset (see {@link #RESET_ON_STOP}): loud, never silent. */
	static boolean resetOnStop(Publisher.Published p) {
		return p.status() == 502;
	}

	boolean holds(long at) {
		return at >= this.from && at < this.to;
	}

	boolean explains(String nginxErrorLine) {
		return this.nginxErrors.matcher(nginxErrorLine).find();
	}

}

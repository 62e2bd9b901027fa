package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.sseboot.core.CloseReason;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseStreams;

/**
 * The open streams of this instance: it admits them ({@code sse.max-connections}, per client, shutdown), counts them
 * open, and closes every stream on shutdown. What happens to each stream is told by the stream itself (see
 * {@link SseConnection}).
 */
final class SseConnections implements SseStreams {

	private final SseEndpoints endpoints;

	private final int maxConnections;

	private final int maxPerClient;

	/** Slots taken per client key; an entry exists only while its count is above zero. */
	private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

	private final AtomicInteger reserved = new AtomicInteger();

	private final Set<SseConnection> open = ConcurrentHashMap.newKeySet();

	private volatile boolean accepting = true;

	/**
	 * With at most {@code maxConnections} open streams, and {@code maxPerClient} per client key
	 * ({@link Integer#MAX_VALUE} for no such limit).
	 */
	SseConnections(SseEndpoints endpoints, int maxConnections, int maxPerClient) {
		this.endpoints = endpoints;
		this.maxConnections = maxConnections;
		this.maxPerClient = maxPerClient;
	}

	@Override
	public int maxConnectionsPerClient() {
		return this.maxPerClient;
	}

	@Override
	public int maxConnections() {
		return this.maxConnections;
	}

	@Override
	public int size() {
		return this.open.size();
	}

	@Override
	public Map<String, Long> sizeByEndpoint() {
		return this.open.stream()
			.collect(Collectors.groupingBy((connection) -> connection.endpoint().path(), Collectors.counting()));
	}

	@Override
	public List<SseEndpointDefinition> endpoints() {
		return this.endpoints.all();
	}

	/** Admits new streams, or from now on none ({@code false}: shutdown has begun). */
	void setAccepting(boolean accepting) {
		this.accepting = accepting;
	}

	/** What {@link #tryReserve(String)} decided. */
	enum Admission {

		/** A slot is taken: give it back with {@link #release(String)}. */
		ADMITTED,

		/** The instance holds {@code sse.max-connections} streams. */
		FULL,

		/** This client holds {@code sse.max-connections-per-client} streams. */
		CLIENT_FULL,

		/** Shutdown has begun. */
		SHUTTING_DOWN

	}

	/** Takes a slot for a new request of {@code client}, unless the client, the instance or shutdown refuses it. */
	Admission tryReserve(String client) {
		if (!this.accepting) {
			return Admission.SHUTTING_DOWN;
		}
		if (this.maxPerClient != Integer.MAX_VALUE && !reserveFor(client)) {
			return Admission.CLIENT_FULL;
		}
		while (true) {
			int current = this.reserved.get();
			if (current >= this.maxConnections || !this.accepting) {
				releaseFor(client);
				return this.accepting ? Admission.FULL : Admission.SHUTTING_DOWN;
			}
			if (this.reserved.compareAndSet(current, current + 1)) {
				return Admission.ADMITTED;
			}
		}
	}

	private boolean reserveFor(String client) {
		boolean[] taken = new boolean[1];
		this.perClient.compute(client, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= this.maxPerClient) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		return taken[0];
	}

	private void releaseFor(String client) {
		if (this.maxPerClient != Integer.MAX_VALUE) {
			this.perClient.computeIfPresent(client, (key, count) -> (count > 1) ? count - 1 : null);
		}
	}

	/** Counts {@code connection} open: it is a stream now. */
	void opened(SseConnection connection) {
		this.open.add(connection);
		if (!this.accepting) {
			// admitted just before shutdown began, opened just after closeAll took its snapshot
			connection.channel().close(CloseReason.SHUTDOWN);
		}
	}

	/** Gives back a slot taken by {@link #tryReserve(String)}. */
	void release(String client) {
		releaseFor(client);
		this.reserved.decrementAndGet();
	}

	/** {@code connection}, a stream, has closed and was reported: no longer counted open. */
	void closed(SseConnection connection) {
		this.open.remove(connection);
		if (this.open.isEmpty()) {
			synchronized (this) {
				notifyAll();
			}
		}
	}

	/**
	 * Closes every open stream for {@code reason} and waits up to {@code timeout} for them to end. Returns how many
	 * were still open after the wait.
	 */
	int closeAll(CloseReason reason, Duration timeout) {
		List<SseConnection> snapshot = List.copyOf(this.open);
		snapshot.forEach((connection) -> connection.channel().close(reason));
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			long remaining;
			while (!this.open.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		return this.open.size();
	}

}

package dev.sseboot.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.sseboot.core.CloseReason;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseRefusal;
import dev.sseboot.web.SseStreams;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The open streams of this instance: it enforces {@code sse.max-connections}, reports every change to the
 * {@link SseConnectionObserver}s, and closes every stream on shutdown.
 */
final class SseConnections implements SseStreams {

	private static final Log logger = LogFactory.getLog(SseConnections.class);

	private final SseEndpoints endpoints;

	private final int maxConnections;

	private final int maxPerClient;

	/** Slots taken per client key; an entry exists only while its count is above zero. */
	private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

	private final List<SseConnectionObserver> observers;

	private final AtomicInteger reserved = new AtomicInteger();

	private final Set<SseConnection> open = ConcurrentHashMap.newKeySet();

	private volatile boolean accepting = true;

	/**
	 * With at most {@code maxConnections} open streams, and {@code maxPerClient} per client key
	 * ({@link Integer#MAX_VALUE} for no such limit). Each closed stream is told to the {@code listeners} first, then
	 * every change to the {@code observers}, each in order.
	 */
	SseConnections(SseEndpoints endpoints, int maxConnections, int maxPerClient, List<SseDisconnectListener> listeners,
			List<SseConnectionObserver> observers) {
		this.endpoints = endpoints;
		this.maxConnections = maxConnections;
		this.maxPerClient = maxPerClient;
		List<SseConnectionObserver> all = new ArrayList<>(observers.size() + 1);
		if (!listeners.isEmpty()) {
			all.add(new SseDisconnectNotifier(listeners));
		}
		all.addAll(observers);
		this.observers = List.copyOf(all);
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

	void opened(SseConnection connection) {
		this.open.add(connection);
		String id = connection.channel().id();
		notify((observer) -> observer.onOpened(connection.endpoint(), id));
		if (!this.accepting) {
			// admitted just before shutdown began, opened just after closeAll took its snapshot
			connection.channel().close(CloseReason.SHUTDOWN);
		}
	}

	void sent(SseConnection connection, int events, int bytes) {
		notify((observer) -> observer.onSent(connection.endpoint(), connection.channel().id(), events, bytes));
	}

	/** A request to {@code endpoint} was refused for a later try; it never was a stream. */
	void refused(SseEndpointDefinition endpoint, SseRefusal reason) {
		notify((observer) -> observer.onRefused(endpoint, reason));
	}

	void dropped(SseConnection connection, int events) {
		notify((observer) -> observer.onDropped(connection.endpoint(), events));
	}

	/** Gives back a slot taken by {@link #tryReserve(String)}. */
	void release(String client) {
		releaseFor(client);
		this.reserved.decrementAndGet();
	}

	void closed(SseConnection connection, CloseReason reason, boolean wasStream) {
		release(connection.client());
		if (wasStream) {
			// told first, removed after: once a stream is no longer counted open, its listeners and meters know
			if (!this.observers.isEmpty()) {
				SseDisconnect disconnect = connection.disconnect(reason);
				notify((observer) -> observer.onClosed(connection.endpoint(), disconnect));
			}
			this.open.remove(connection);
			if (this.open.isEmpty()) {
				synchronized (this) {
					notifyAll();
				}
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

	private void notify(Consumer<SseConnectionObserver> call) {
		for (SseConnectionObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("SSE connection observer " + observer + " failed", ex);
			}
		}
	}

}

package dev.sseboot.core.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An SSE client on the JDK {@link HttpClient} that behaves like a browser's {@code EventSource}: it reconnects
 * after a dropped connection (after the server's {@code retry}, else an exponential {@link Backoff} with jitter),
 * sends {@code Last-Event-ID}, and stops for good on {@code 204}, on any other non-200 status, or on a content type
 * other than {@code text/event-stream}. A read timeout, when set, treats a silent connection (no byte, not even a
 * heartbeat) as dropped. No thread is held per connection.
 * <p>
 * Events go to a {@link Listener}, or, without one, into a bounded queue read with {@link #poll(Duration)} (a full
 * queue holds back the connection rather than dropping events).
 */
public final class SseClient implements AutoCloseable {

	/** Where the client is. */
	public enum State {

		/** A request is on its way. */
		CONNECTING,

		/** Headers arrived with 200 and {@code text/event-stream}; events flow. */
		OPEN,

		/** The connection dropped; waiting to reconnect. */
		RECONNECTING,

		/** Stopped for good; see {@link SseClient#stopReason()}. */
		CLOSED

	}

	/** What a client reports; every method has a default except {@link #onEvent(SseMessage)}. */
	@FunctionalInterface
	public interface Listener {

		/** An event arrived. */
		void onEvent(SseMessage message);

		/** The client moved to {@code state}; {@code detail} says why, in words. */
		default void onStateChange(State state, String detail) {
		}

	}

	/** Reconnect delays and read-timeout watchdogs of every client: one daemon thread. */
	static final ScheduledThreadPoolExecutor TIMERS = createTimers();

	private static final class DefaultHttp {

		static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10)).build();

	}

	private final URI uri;

	private final HttpClient http;

	private final Map<String, String> headers;

	private final Duration readTimeout;

	private final Backoff backoff;

	private final int maxEventSize;

	private final @Nullable Listener listener;

	private final @Nullable MessageQueue queue;

	private final Object lock = new Object();

	/** State changes not yet told to the listener, in the order they happened; guarded by {@link #lock}. */
	private final ArrayDeque<String[]> notifications = new ArrayDeque<>();

	/**
	 * Held while the listener is called (taken before {@link #lock}, never after it): one call at a time, state
	 * changes in the order they happened, and no event after the {@code CLOSED} notification.
	 */
	private final Object delivery = new Object();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile State state = State.CONNECTING;

	private volatile String stopReason = "";

	private volatile String lastEventId;

	private volatile @Nullable Duration serverRetry;

	private int failures;

	private @Nullable Attempt attempt;

	private @Nullable ScheduledFuture<?> pendingReconnect;

	private boolean started;

	SseClient(SseClientBuilder builder) {
		this.uri = builder.uri;
		this.http = (builder.http != null) ? builder.http : DefaultHttp.CLIENT;
		this.headers = Map.copyOf(builder.headers);
		this.readTimeout = builder.readTimeout;
		this.backoff = builder.backoff;
		this.maxEventSize = builder.maxEventSize;
		this.listener = builder.listener;
		this.queue = (builder.listener == null) ? new MessageQueue(builder.queueCapacity) : null;
		this.lastEventId = builder.lastEventId;
	}

	/** A builder for a client of {@code uri}. */
	public static SseClientBuilder builder(URI uri) {
		return new SseClientBuilder(uri);
	}

	/** Connects; returns at once. Idempotent. */
	public SseClient start() {
		synchronized (this.lock) {
			if (this.started) {
				return this;
			}
			this.started = true;
			connect();
		}
		notifyListener();
		return this;
	}

	/**
	 * Stops at once: the connection is cancelled, a pending reconnect dropped, no event delivered after, and a reader
	 * waiting for room in the queue (or a {@link #poll(Duration)} waiting for an event) is woken.
	 */
	@Override
	public void close() {
		stop("closed by the client");
	}

	/** The next event, waiting up to {@code timeout}; empty on timeout or once closed. Only without a listener. */
	public Optional<SseMessage> poll(Duration timeout) throws InterruptedException {
		if (this.queue == null) {
			throw new IllegalStateException("This SseClient delivers to its listener; there is no queue to poll");
		}
		return this.queue.poll(timeout);
	}

	public State state() {
		return this.state;
	}

	/** Why the client closed, in words; empty while it runs. */
	public String stopReason() {
		return this.stopReason;
	}

	/** The last event id seen (sent as {@code Last-Event-ID} on reconnect); empty when none or reset. */
	public String lastEventId() {
		return this.lastEventId;
	}

	/** The server's last {@code retry}, if it sent one. */
	public Optional<Duration> serverRetry() {
		return Optional.ofNullable(this.serverRetry);
	}

	/** Reconnects and read-timeout watchdogs scheduled by every client of this JVM, for tests. */
	static int pendingTimers() {
		return TIMERS.getQueue().size();
	}

	private static ScheduledThreadPoolExecutor createTimers() {
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sse-client-timer");
			thread.setDaemon(true);
			return thread;
		});
		timers.setRemoveOnCancelPolicy(true);
		return timers;
	}

	/** How many connections have opened (200 with the right content type) so far. */
	public int connections() {
		return this.connections.get();
	}

	/** Under the lock: starts an attempt. */
	private void connect() {
		if (this.state == State.CLOSED) {
			return;
		}
		transition(State.CONNECTING, this.uri.toString());
		HttpRequest.Builder request = HttpRequest.newBuilder(this.uri).GET()
			.header("Accept", "text/event-stream").header("Cache-Control", "no-cache");
		if (!this.readTimeout.isZero()) {
			request.timeout(this.readTimeout);
		}
		this.headers.forEach(request::header);
		if (!this.lastEventId.isEmpty()) {
			request.header("Last-Event-ID", this.lastEventId);
		}
		Attempt current = new Attempt(this, this.lastEventId, this.maxEventSize, this.readTimeout);
		this.attempt = current;
		current.send(this.http, request.build());
	}

	void stop(String reason) {
		Attempt current;
		synchronized (this.lock) {
			if (this.state == State.CLOSED) {
				return;
			}
			this.stopReason = reason;
			transition(State.CLOSED, reason);
			current = this.attempt;
			if (this.pendingReconnect != null) {
				this.pendingReconnect.cancel(false);
			}
		}
		if (current != null) {
			current.cancel();
		}
		if (this.queue != null) {
			this.queue.close();
		}
		notifyListener();
	}

	void reconnectLater(Attempt from, String why) {
		synchronized (this.lock) {
			if (this.state == State.CLOSED || this.attempt != from) {
				return;
			}
			this.failures++;
			Duration delay = this.backoff.delay(this.failures, this.serverRetry,
					ThreadLocalRandom.current()::nextDouble);
			transition(State.RECONNECTING, why + "; reconnecting in " + delay.toMillis() + " ms");
			this.pendingReconnect = TIMERS.schedule(() -> {
				synchronized (this.lock) {
					connect();
				}
				notifyListener();
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		notifyListener();
	}

	/**
	 * Under the lock: the one place the state changes. Its notification is queued in the same order and told by
	 * {@link #notifyListener()}, outside the lock, so a listener may call back into the client.
	 */
	private void transition(State state, String detail) {
		this.state = state;
		if (this.listener != null) {
			this.notifications.addLast(new String[] { state.name(), detail });
		}
	}

	/**
	 * Tells the listener every queued state change, in order. The caller's own change has been told when this
	 * returns, by this thread or by the one that held the delivery monitor before it.
	 */
	void notifyListener() {
		Listener target = this.listener;
		if (target == null) {
			return;
		}
		synchronized (this.delivery) {
			String[] next;
			while ((next = nextNotification()) != null) {
				target.onStateChange(State.valueOf(next[0]), next[1]);
			}
		}
	}

	private String @Nullable [] nextNotification() {
		synchronized (this.lock) {
			return this.notifications.pollFirst();
		}
	}

	/** An event arrived on {@code from}; it reaches the listener or the queue unless the client or attempt ended. */
	void received(Attempt from, SseMessage message) throws InterruptedException {
		this.lastEventId = message.lastEventId();
		if (this.state == State.CLOSED || from.isEnded()) {
			return;
		}
		Listener target = this.listener;
		if (target != null) {
			notifyListener();
			synchronized (this.delivery) {
				if (this.state != State.CLOSED && !from.isEnded()) {
					target.onEvent(message);
				}
			}
		}
		else {
			Objects.requireNonNull(this.queue).put(message);
		}
	}

	/** The server's {@code retry:} field arrived. */
	void retry(Duration retry) {
		this.serverRetry = retry;
	}

	/**
	 * Headers of {@code from} arrived with 200 and {@code text/event-stream}: the client is open, unless it was closed
	 * or moved on meanwhile. Checked and changed under one lock, so a {@code close()} cannot slip in and be undone.
	 */
	boolean opened(Attempt from) {
		boolean opened = false;
		synchronized (this.lock) {
			if (this.state != State.CLOSED && this.attempt == from && !from.isEnded()) {
				this.failures = 0;
				this.connections.incrementAndGet();
				transition(State.OPEN, "HTTP 200 text/event-stream");
				opened = true;
			}
		}
		notifyListener();
		return opened;
	}

	static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

}

package dev.sseboot.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Collects what a {@link DefaultEventChannel} needs, from {@link DefaultEventChannel#builder(SseTransport)}; only the
 * transport is required.
 */
public final class EventChannelBuilder {

	final SseTransport transport;

	@Nullable String id;

	@Nullable String lastEventId;

	ChannelSettings settings = ChannelSettings.defaults();

	SseEncoder encoder = new SseEncoder();

	Executor executor = SseExecutors.drainExecutor();

	Executor publisherExecutor = SseExecutors.publisherExecutor();

	ScheduledExecutorService scheduler = SseExecutors.timer();

	ChannelListener listener = ChannelListener.NONE;

	LongSupplier nanoClock = System::nanoTime;

	byte @Nullable [] preamble;

	@Nullable Heartbeat heartbeat;

	Duration heartbeatInterval = Duration.ZERO;

	EventChannelBuilder(SseTransport transport) {
		this.transport = Objects.requireNonNull(transport, "transport");
	}

	/** The connection id; a random UUID by default. */
	public EventChannelBuilder id(String id) {
		this.id = id;
		return this;
	}

	/** The client's {@code Last-Event-ID}, already validated; {@code null} when absent. */
	public EventChannelBuilder lastEventId(@Nullable String lastEventId) {
		this.lastEventId = lastEventId;
		return this;
	}

	/** Buffer size, overflow policy and send timeout; {@link ChannelSettings#defaults()} by default. */
	public EventChannelBuilder settings(ChannelSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		return this;
	}

	/** The encoder for {@link EventChannel#send(SseEvent)}; text-only by default. */
	public EventChannelBuilder encoder(SseEncoder encoder) {
		this.encoder = Objects.requireNonNull(encoder, "encoder");
		return this;
	}

	/** Where drains run; {@link SseExecutors#drainExecutor()} by default. */
	public EventChannelBuilder executor(Executor executor) {
		this.executor = Objects.requireNonNull(executor, "executor");
		return this;
	}

	/**
	 * Where a streamed publisher's subscription is called ({@code request}, {@code cancel}), one call at a time:
	 * never a drain, since a synchronous publisher produces inside {@code request}.
	 * {@link SseExecutors#publisherExecutor()} by default.
	 */
	public EventChannelBuilder publisherExecutor(Executor publisherExecutor) {
		this.publisherExecutor = Objects.requireNonNull(publisherExecutor, "publisherExecutor");
		return this;
	}

	/**
	 * The timer for the channel's checks (a client that stopped taking bytes); its tasks never wait.
	 * {@link SseExecutors#timer()} by default.
	 */
	public EventChannelBuilder scheduler(ScheduledExecutorService scheduler) {
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
		return this;
	}

	/** Who hears about sends, drops and the close. */
	public EventChannelBuilder listener(ChannelListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		return this;
	}

	/** The clock for idle times; {@link System#nanoTime()} by default (tests pass their own). */
	public EventChannelBuilder nanoClock(LongSupplier nanoClock) {
		this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
		return this;
	}

	/** Bytes written before anything else once started (for instance a {@code retry:} block); not an event. */
	public EventChannelBuilder preamble(byte @Nullable [] preamble) {
		this.preamble = (preamble != null && preamble.length > 0) ? preamble.clone() : null;
		return this;
	}

	/** Heartbeats from {@code heartbeat} after {@code interval} idle; a zero interval disables them. */
	public EventChannelBuilder heartbeat(Heartbeat heartbeat, Duration interval) {
		this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
		this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
		return this;
	}

	/** Builds the channel, not yet started. */
	public DefaultEventChannel build() {
		DefaultEventChannel channel = new DefaultEventChannel(this);
		if (this.heartbeat != null) {
			this.heartbeat.register(channel, this.heartbeatInterval);
		}
		return channel;
	}

}

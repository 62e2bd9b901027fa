package dev.sseboot.autoconfigure.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRuns;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseEndpointDefinition;
import dev.sseboot.web.SseRefusal;
import dev.sseboot.web.SseStreamInfo;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * The {@code sse.*} meters, all tagged {@code endpoint} with the {@code @SseEndpoint} path pattern (never a client's
 * identity). Every endpoint's meters are registered once the endpoints are known (when the registry is bound and when
 * the context is refreshed, whichever comes last), at zero, so that a dashboard sees 0 rather than no series before
 * the first stream; they are kept, so the hot path never looks them up in the registry. Streams reported before the
 * registry is bound are not counted (none opens before the web server starts, after binding).
 */
final class SseMeterBinder implements MeterBinder, SseConnectionObserver, ApplicationListener<ContextRefreshedEvent> {

	static final String ACTIVE = "sse.connections.active";

	static final String CLOSED = "sse.connections.closed";

	static final String DURATION = "sse.connections.duration";

	static final String SENT = "sse.events.sent";

	static final String DROPPED = "sse.events.dropped";

	static final String BYTES = "sse.bytes.sent";

	static final String REFUSED = "sse.connections.refused";

	/** New topics the broadcaster refused for its topic limit (no endpoint tag: topics are not an endpoint's). */
	static final String TOPICS_REFUSED = "sse.topics.refused";

	/** Runs going on (in this process). */
	static final String RUNS_ACTIVE = "sse.runs.active";

	/** Runs that ended, tagged {@code outcome}. */
	static final String RUNS_ENDED = "sse.runs.ended";

	private final @Nullable Broadcaster broadcaster;

	private final @Nullable SseRuns runs;

	/** Read when the endpoints are known: the streams' owner observes through this binder, so it comes later. */
	private final ObjectProvider<SseStreams> streams;

	private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	SseMeterBinder(@Nullable Broadcaster broadcaster, @Nullable SseRuns runs, ObjectProvider<SseStreams> streams) {
		this.broadcaster = broadcaster;
		this.runs = runs;
		this.streams = streams;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		if (this.broadcaster != null) {
			FunctionCounter.builder(TOPICS_REFUSED, this.broadcaster, Broadcaster::refusedTopics)
				.description("New SSE topics refused because the broadcaster holds its maximum of topics")
				.register(registry);
		}
		SseRuns current = this.runs;
		if (current != null) {
			Gauge.builder(RUNS_ACTIVE, current, SseRuns::active)
				.description("Runs going on (SseRuns): started, not yet ended")
				.register(registry);
			for (SseRun.Outcome outcome : SseRun.Outcome.values()) {
				FunctionCounter.builder(RUNS_ENDED, current, (runs) -> runs.ended(outcome))
					.tag("outcome", outcome.tag())
					.description("Runs that ended, by outcome")
					.register(registry);
			}
		}
		registerEndpoints();
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		registerEndpoints();
	}

	/** Registers the meters of every endpoint known so far, at zero; does nothing before the registry is bound. */
	private void registerEndpoints() {
		if (this.registry != null) {
			this.streams.ifAvailable((streams) -> streams.endpoints().forEach(this::meters));
		}
	}

	@Override
	public void onOpened(SseStreamInfo stream) {
		EndpointMeters meters = meters(stream.endpoint());
		if (meters != null) {
			meters.active.incrementAndGet();
		}
	}

	@Override
	public void onSent(SseStreamInfo stream, int events, int bytes) {
		EndpointMeters meters = meters(stream.endpoint());
		if (meters != null) {
			if (events > 0) {
				meters.sent.increment(events);
			}
			meters.bytes.increment(bytes);
		}
	}

	@Override
	public void onDropped(SseStreamInfo stream, int events) {
		EndpointMeters meters = meters(stream.endpoint());
		if (meters != null) {
			meters.dropped(stream.endpoint().channel().overflow()).increment(events);
		}
	}

	@Override
	public void onRefused(SseEndpointDefinition endpoint, SseRefusal reason) {
		EndpointMeters meters = meters(endpoint);
		if (meters != null) {
			meters.refused[reason.ordinal()].increment();
		}
	}

	@Override
	public void onClosed(SseStreamInfo stream, SseDisconnect disconnect) {
		EndpointMeters meters = meters(stream.endpoint());
		if (meters != null) {
			meters.active.decrementAndGet();
			meters.closed[disconnect.reason().ordinal()].increment();
			meters.duration.record(disconnect.duration());
		}
	}

	private @Nullable EndpointMeters meters(SseEndpointDefinition endpoint) {
		MeterRegistry registry = this.registry;
		return (registry != null)
				? this.endpoints.computeIfAbsent(endpoint.path(), (path) -> new EndpointMeters(registry, endpoint))
				: null;
	}

	/** A tag value: the enum's name in lower case with dashes, as users write it in properties. */
	static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** The meters of one endpoint. */
	private static final class EndpointMeters {

		final MeterRegistry registry;

		final String endpoint;

		final AtomicInteger active = new AtomicInteger();

		final Counter sent;

		final Counter bytes;

		final Timer duration;

		/** By {@link CloseReason#ordinal()}. */
		final Counter[] closed = new Counter[CloseReason.values().length];

		/** By {@link SseRefusal#ordinal()}. */
		final Counter[] refused = new Counter[SseRefusal.values().length];

		final Map<OverflowPolicy, Counter> dropped = new ConcurrentHashMap<>();

		EndpointMeters(MeterRegistry registry, SseEndpointDefinition definition) {
			this.registry = registry;
			String endpoint = definition.path();
			this.endpoint = endpoint;
			Gauge.builder(ACTIVE, this.active, AtomicInteger::get).tag("endpoint", endpoint)
				.description("Open SSE streams").baseUnit(BaseUnits.CONNECTIONS).register(registry);
			this.sent = Counter.builder(SENT).tag("endpoint", endpoint).description("Events written to clients")
				.baseUnit(BaseUnits.EVENTS).register(registry);
			this.bytes = Counter.builder(BYTES).tag("endpoint", endpoint)
				.description("Bytes written to clients, heartbeats included").baseUnit(BaseUnits.BYTES)
				.register(registry);
			this.duration = Timer.builder(DURATION)
				.tag("endpoint", endpoint)
				.description("How long SSE streams stay open")
				.register(registry);
			for (CloseReason reason : CloseReason.values()) {
				this.closed[reason.ordinal()] = Counter.builder(CLOSED)
					.tag("endpoint", endpoint)
					.tag("reason", tag(reason))
					.description("Closed SSE streams, by reason")
					.baseUnit(BaseUnits.CONNECTIONS)
					.register(registry);
			}
			for (SseRefusal reason : SseRefusal.values()) {
				this.refused[reason.ordinal()] = Counter.builder(REFUSED).tag("endpoint", endpoint)
					.tag("reason", tag(reason))
					.description("Requests refused for a later try (capacity, limits, shutdown), by reason")
					.baseUnit(BaseUnits.CONNECTIONS)
					.register(registry);
			}
			// the endpoint's own policy, at zero from the start
			dropped(definition.channel().overflow());
		}

		Counter dropped(OverflowPolicy policy) {
			return this.dropped.computeIfAbsent(policy, (key) -> Counter.builder(DROPPED).tag("endpoint", this.endpoint)
				.tag("policy", tag(key)).description("Events never written: overflow, or discarded on close")
				.baseUnit(BaseUnits.EVENTS).register(this.registry));
		}

	}

}

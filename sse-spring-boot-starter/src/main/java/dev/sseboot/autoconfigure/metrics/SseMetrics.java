package dev.sseboot.autoconfigure.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sseboot.autoconfigure.SseConnection;
import dev.sseboot.autoconfigure.SseConnectionObserver;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.OverflowPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The {@code sse.*} meters, all tagged {@code endpoint} with the {@code @SseEndpoint} path pattern (never a client's
 * identity). Meters of an endpoint are registered with its first connection and kept, so the hot path never looks
 * them up.
 */
public final class SseMetrics implements SseConnectionObserver {

	public static final String ACTIVE = "sse.connections.active";

	public static final String CLOSED = "sse.connections.closed";

	public static final String SENT = "sse.events.sent";

	public static final String DROPPED = "sse.events.dropped";

	public static final String BYTES = "sse.bytes.sent";

	public static final String DURATION = "sse.connection.duration";

	/** New topics the broadcaster refused for its topic limit (no endpoint tag: topics are not an endpoint's). */
	public static final String TOPICS_REFUSED = "sse.topics.refused";

	private final MeterRegistry registry;

	private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

	public SseMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onOpened(SseConnection connection) {
		meters(connection).active.incrementAndGet();
	}

	@Override
	public void onSent(SseConnection connection, int events, int bytes) {
		EndpointMeters meters = meters(connection);
		if (events > 0) {
			meters.sent.increment(events);
		}
		meters.bytes.increment(bytes);
	}

	@Override
	public void onDropped(SseConnection connection, int events) {
		meters(connection).dropped(connection.channel().overflowPolicy()).increment(events);
	}

	@Override
	public void onClosed(SseConnection connection, CloseReason reason) {
		EndpointMeters meters = meters(connection);
		meters.active.decrementAndGet();
		meters.closed.get(reason).increment();
		meters.duration.record(connection.age());
	}

	private EndpointMeters meters(SseConnection connection) {
		return this.endpoints.computeIfAbsent(connection.endpoint().path(), this::register);
	}

	private EndpointMeters register(String endpoint) {
		return new EndpointMeters(endpoint);
	}

	/** A tag value: the enum's name in lower case with dashes, as users write it in properties. */
	public static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** The meters of one endpoint. */
	private final class EndpointMeters {

		final String endpoint;

		final AtomicInteger active = new AtomicInteger();

		final Counter sent;

		final Counter bytes;

		final Timer duration;

		final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);

		final Map<OverflowPolicy, Counter> dropped = new ConcurrentHashMap<>();

		EndpointMeters(String endpoint) {
			this.endpoint = endpoint;
			MeterRegistry registry = SseMetrics.this.registry;
			Gauge.builder(ACTIVE, this.active, AtomicInteger::get).tag("endpoint", endpoint)
				.description("Open SSE streams").register(registry);
			this.sent = Counter.builder(SENT).tag("endpoint", endpoint).description("Events written to clients")
				.register(registry);
			this.bytes = Counter.builder(BYTES).tag("endpoint", endpoint)
				.description("Bytes written to clients, heartbeats included").baseUnit(BaseUnits.BYTES)
				.register(registry);
			this.duration = Timer.builder(DURATION).tag("endpoint", endpoint).description("How long SSE streams stay open")
				.register(registry);
			for (CloseReason reason : CloseReason.values()) {
				this.closed.put(reason, Counter.builder(CLOSED).tag("endpoint", endpoint).tag("reason", tag(reason))
					.description("Closed SSE streams, by reason").register(registry));
			}
		}

		Counter dropped(OverflowPolicy policy) {
			return this.dropped.computeIfAbsent(policy, (key) -> Counter.builder(DROPPED).tag("endpoint", this.endpoint)
				.tag("policy", tag(key)).description("Events never written: overflow, or discarded on close")
				.register(SseMetrics.this.registry));
		}

	}

}

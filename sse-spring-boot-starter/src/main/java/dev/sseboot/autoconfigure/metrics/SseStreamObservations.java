package dev.sseboot.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.CloseReason;
import dev.sseboot.web.DefaultSseStreamObservationConvention;
import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseStreamInfo;
import dev.sseboot.web.SseStreamObservationContext;
import dev.sseboot.web.SseStreamObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One {@code sse.stream} {@link Observation} per stream: started on the thread of the request that opened it (so
 * that its parent is that request's observation, and a trace shows the stream's span inside the request's),
 * stopped when it closes, with an error when it closed with {@link CloseReason#ERROR}. Open streams are held by
 * connection id, at most as many as the instance has streams.
 */
final class SseStreamObservations implements SseConnectionObserver {

	private static final SseStreamObservationConvention DEFAULT = new DefaultSseStreamObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable SseStreamObservationConvention convention;

	private final Map<String, Observed> open = new ConcurrentHashMap<>();

	SseStreamObservations(ObservationRegistry registry, @Nullable SseStreamObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	private record Observed(Observation observation, SseStreamObservationContext context, AtomicLong bytes) {
	}

	@Override
	public void onOpened(SseStreamInfo stream) {
		SseStreamObservationContext context = new SseStreamObservationContext(stream.endpoint(), stream.connectionId());
		Observation observation = Observation
			.createNotStarted(this.convention, DEFAULT, () -> context, this.registry)
			.parentObservation(this.registry.getCurrentObservation())
			.start();
		this.open.put(stream.connectionId(), new Observed(observation, context, new AtomicLong()));
	}

	@Override
	public void onSent(SseStreamInfo stream, int events, int bytes) {
		Observed observed = this.open.get(stream.connectionId());
		if (observed != null) {
			observed.bytes().addAndGet(bytes);
		}
	}

	@Override
	public void onClosed(SseStreamInfo stream, SseDisconnect disconnect) {
		Observed observed = this.open.remove(stream.connectionId());
		if (observed == null) {
			return;
		}
		observed.context().setDisconnect(disconnect);
		observed.context().setBytesSent(observed.bytes().get());
		if (disconnect.reason() == CloseReason.ERROR) {
			observed.observation().error(new IllegalStateException("The SSE stream ended with an error"));
		}
		observed.observation().stop();
	}

}

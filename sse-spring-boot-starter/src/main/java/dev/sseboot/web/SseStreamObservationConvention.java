package dev.sseboot.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code sse.stream} observation of each stream. Declare a bean of this type to rename or retag
 * it, typically by extending {@link DefaultSseStreamObservationConvention}.
 */
public interface SseStreamObservationConvention extends ObservationConvention<SseStreamObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SseStreamObservationContext;
	}

}

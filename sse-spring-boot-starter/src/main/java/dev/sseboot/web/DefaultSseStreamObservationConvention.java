package dev.sseboot.web;

import java.util.Locale;

import io.micrometer.common.KeyValues;

/**
 * The default {@code sse.stream} observation: one per stream, from its opening to its close. Low-cardinality key
 * values {@code endpoint} (the path pattern) and {@code reason} (the close reason as the meters spell it, such as
 * {@code client-gone}; {@code none} while open); high-cardinality {@code events} (events sent) and {@code bytes} (bytes
 * sent).
 */
public class DefaultSseStreamObservationConvention implements SseStreamObservationConvention {

	/** The observation's name. */
	public static final String NAME = "sse.stream";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(SseStreamObservationContext context) {
		return "sse " + context.getEndpoint().path();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SseStreamObservationContext context) {
		SseDisconnect disconnect = context.getDisconnect();
		return KeyValues.of("endpoint", context.getEndpoint().path(), "reason",
				(disconnect != null) ? disconnect.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') : "none");
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(SseStreamObservationContext context) {
		SseDisconnect disconnect = context.getDisconnect();
		return KeyValues.of("events", String.valueOf((disconnect != null) ? disconnect.eventsSent() : 0), "bytes",
				String.valueOf(context.getBytesSent()));
	}

}

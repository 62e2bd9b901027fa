package dev.sseboot.sample;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/** The sse.* meters, streamed over SSE itself every second. */
@Component
class Meters {

	private final MeterRegistry registry;

	private final ScheduledExecutorService timer;

	Meters(MeterRegistry registry, ScheduledExecutorService sampleTimer) {
		this.registry = registry;
		this.timer = sampleTimer;
	}

	@SseEndpoint("/meters")
	void meters(EventChannel channel) {
		ScheduledFuture<?> updates = this.timer.scheduleAtFixedRate(
				() -> channel.send(SseEvent.of("meters", snapshot())), 0, 1, TimeUnit.SECONDS);
		channel.onClose((reason) -> updates.cancel(false));
	}

	/** endpoint -> meter (with its distinguishing tag) -> value. */
	Map<String, Map<String, Object>> snapshot() {
		Map<String, Map<String, Object>> byEndpoint = new TreeMap<>();
		for (Meter meter : this.registry.getMeters()) {
			String name = meter.getId().getName();
			String endpoint = meter.getId().getTag("endpoint");
			if (!name.startsWith("sse.") || endpoint == null) {
				continue;
			}
			String key = name;
			String reason = meter.getId().getTag("reason");
			String policy = meter.getId().getTag("policy");
			if (reason != null) {
				key += "{" + reason + "}";
			}
			if (policy != null) {
				key += "{" + policy + "}";
			}
			Object value = value(meter);
			if (value != null) {
				byEndpoint.computeIfAbsent(endpoint, (e) -> new TreeMap<>()).put(key, value);
			}
		}
		return byEndpoint;
	}

	private static @Nullable Object value(Meter meter) {
		if (meter instanceof Gauge gauge) {
			return (long) gauge.value();
		}
		if (meter instanceof Counter counter) {
			return (long) counter.count();
		}
		if (meter instanceof Timer timer) {
			return timer.count();
		}
		return null;
	}

}

package dev.sseboot.sample;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;

import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;

/** A live clock: one stream per connection, a tick every second (or every {@code every} seconds). */
@Component
class Clock {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final ScheduledExecutorService timer;

	Clock(ScheduledExecutorService sampleTimer) {
		this.timer = sampleTimer;
	}

	record Tick(String time, long epochMillis) {
	}

	@SseEndpoint("/clock")
	void clock(EventChannel channel, @RequestParam(defaultValue = "1") int every) {
		int period = Math.max(1, Math.min(every, 60));
		ScheduledFuture<?> ticks = this.timer.scheduleAtFixedRate(
				() -> channel.send(
						SseEvent.of("tick", new Tick(LocalTime.now().format(TIME), System.currentTimeMillis()))),
				0, period, TimeUnit.SECONDS);
		channel.onClose((reason) -> ticks.cancel(false));
	}

}

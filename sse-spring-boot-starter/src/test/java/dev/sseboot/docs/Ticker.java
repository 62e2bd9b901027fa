package dev.sseboot.docs;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;

// tag::ticker[]
@Component
class Ticker {

	private static final Logger log = LoggerFactory.getLogger(Ticker.class);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	@SseEndpoint(path = "/ticks", heartbeat = "10s")
	void ticks(EventChannel channel, @RequestParam(defaultValue = "1") int every) {
		AtomicLong count = new AtomicLong();
		ScheduledFuture<?> ticking = timer.scheduleAtFixedRate(() -> channel.send(SseEvent.builder().name("tick")
				.id(String.valueOf(count.incrementAndGet())).data(Map.of("at", Instant.now())).build()),
				0, every, TimeUnit.SECONDS);
		channel.onClose(reason -> ticking.cancel(false));    // the stream ended: stop producing
	}

	@Bean
	SseDisconnectListener logDisconnects() {
		return d -> log.info("{} {} after {} ({} sent, {} dropped)", d.endpoint(), d.reason(), d.duration(),
				d.eventsSent(), d.eventsDropped());
	}
}
// end::ticker[]

package dev.sseboot.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One stream on five topics: the chat room and four feeds that tick by themselves, read by one {@code EventSource}.
 * Each event's id is {@code <topic> <cursor>}: the page routes by the topic, and a reload passes the last id it saved
 * as {@code ?lastEventId=}, which resumes every topic at once. Feed ticks are numbered per feed, as chat messages are
 * per room, so the page can prove it missed none.
 */
@RestController
class Dashboard {

	static final List<String> FEEDS = List.of("prices", "news", "weather", "traffic");

	private static final Log logger = LogFactory.getLog(Dashboard.class);

	private final Broadcaster broadcaster;

	private final Map<String, AtomicLong> numbers = new ConcurrentHashMap<>();

	Dashboard(Broadcaster broadcaster, ScheduledExecutorService sampleTimer) {
		this.broadcaster = broadcaster;
		sampleTimer.scheduleAtFixedRate(this::tick, 500, 500, TimeUnit.MILLISECONDS);
	}

	record Tick(long number, String feed, String value) {
	}

	@SseEndpoint(path = "/dashboard/{room}",
			topics = { "chat.{room}", "feed.prices", "feed.news", "feed.weather", "feed.traffic" })
	void dashboard(EventChannel channel, @PathVariable String room) {
	}

	/** One tick of every feed; a failed publish (Redis away) is logged, and the next tick tries again. */
	private void tick() {
		for (String feed : FEEDS) {
			long number = this.numbers.computeIfAbsent(feed, (key) -> new AtomicLong()).incrementAndGet();
			try {
				this.broadcaster.publish("feed." + feed, SseEvent.of(new Tick(number, feed, value(feed, number))));
			}
			catch (RuntimeException ex) {
				logger.warn("Feed " + feed + " could not publish tick " + number + ": " + ex.getMessage());
			}
		}
	}

	private static String value(String feed, long number) {
		return switch (feed) {
			case "prices" -> String.format("EUR %.2f", 100 + Math.sin(number / 7.0) * 3);
			case "news" -> "headline #" + number;
			case "weather" -> (12 + number % 9) + " °C";
			default -> (number % 5 == 0) ? "jam on the ring road" : "all clear";
		};
	}

}

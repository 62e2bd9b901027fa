package dev.sseboot.sample;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.sseboot.web.SseDisconnectListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The sse-boot sample: run it with {@code mvn -pl sse-sample-app -am spring-boot:run} and open port 8080. */
@SpringBootApplication
public class SampleApplication {

	private static final Log logger = LogFactory.getLog(SampleApplication.class);

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/** One line per ended stream. */
	@Bean
	SseDisconnectListener logDisconnects() {
		return (d) -> logger.info("SSE " + d.endpoint() + " closed " + d.reason() + " after "
				+ d.duration().toMillis() + " ms: " + d.eventsSent() + " sent, " + d.eventsDropped() + " dropped"
				+ ((d.lastEventId() != null) ? ", resumed from " + d.lastEventId() : ""));
	}

	/** The timer that drives the clock and the meters panel; tasks only send, they never block. */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService sampleTimer() {
		return Executors.newScheduledThreadPool(1, (runnable) -> {
			Thread thread = new Thread(runnable, "sample-timer");
			thread.setDaemon(true);
			return thread;
		});
	}

}

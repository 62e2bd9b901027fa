package dev.sseboot.web.servlet;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.TooManyTopicsException;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RecordingDisconnects;
import dev.sseboot.testsupport.Refusals;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * At the topic limit a subscribe is a 503 with Retry-After, a publish a documented exception, both counted. A context
 * of its own (a property no other test sets), closed after: it fills the broadcaster.
 */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.replay.idle-expiry=9m")
@DirtiesContext
class TopicLimitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	MeterRegistry registry;

	@Autowired
	SseStreams connections;

	@Autowired
	RecordingDisconnects disconnects;

	@Test
	void refusesASubscribeForALaterTryAndAPublishWithTooManyTopicsException() throws Exception {
		for (int i = this.broadcaster.topics().size(); i < InMemoryBroadcaster.MAX_TOPICS; i++) {
			this.broadcaster.publish("held." + i, "x");
		}
		int recorded = this.disconnects.all.size();
		try (SseStream stream = SseTestClient.local(this.port).open("/rooms/one-too-many")) {
			Refusals.assertRefusedWithRetry(stream, "topics");
			assertThat(stream.rawText()).doesNotContain("at dev.sseboot");
		}
		assertThatExceptionOfType(TooManyTopicsException.class)
			.isThrownBy(() -> this.broadcaster.publish("one.more", "x"));
		assertThat(this.registry.get("sse.topics.refused").functionCounter().count()).isEqualTo(2);
		assertThat(this.registry.get("sse.connections.refused").tag("endpoint", "/rooms/{room}")
			.tag("reason", "topic-limit").counter().count()).isEqualTo(1);
		assertThat(this.disconnects.all).as("a refused subscribe is not a stream").hasSize(recorded);
		assertThat(this.connections.size()).isZero();
	}

}

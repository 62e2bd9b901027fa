package dev.sseboot.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import dev.sseboot.testsupport.TestEndpoints;
import dev.sseboot.web.SseStreams;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Known traffic in, exact meter values out. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.metrics.tags.application=test")
class SseMetricsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	SseStreams connections;

	private double counter(String name, String... tags) {
		return this.registry.get(name).tags(tags).counter().count();
	}

	@Test
	void countsConnectionsEventsBytesDropsAndClosesExactly() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		long bytes = 0;
		for (int i = 0; i < 3; i++) {
			try (SseStream stream = client.open("/ticks?count=4")) {
				stream.awaitEnd(WAIT);
				bytes += stream.rawBytes().length;
			}
		}
		try (SseStream stream = client.open("/configured")) {
			stream.awaitEnd(WAIT);
		}
		List<SseStream> quiet = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < CloseReason.values().length; i++) {
			SseStream stream = client.open("/quiet");
			ids.add(stream.awaitEvent((m) -> m.event().equals("connection"), WAIT).data());
			quiet.add(stream);
		}
		assertThat(this.registry.get("sse.connections.active").tag("endpoint", "/quiet").gauge().value())
			.isEqualTo(CloseReason.values().length);
		for (int i = 0; i < ids.size(); i++) {
			DefaultEventChannel channel = (DefaultEventChannel) TestEndpoints.CHANNELS.get(ids.get(i));
			channel.close(CloseReason.values()[i]);
		}
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
		quiet.forEach(SseStream::close);

		assertThat(counter("sse.events.sent", "endpoint", "/ticks")).isEqualTo(12);
		assertThat(counter("sse.bytes.sent", "endpoint", "/ticks")).isEqualTo(bytes);
		assertThat(counter("sse.connections.closed", "endpoint", "/ticks", "reason", "completed")).isEqualTo(3);
		assertThat(counter("sse.events.dropped", "endpoint", "/configured", "policy", "drop-oldest")).isEqualTo(3);
		assertThat(counter("sse.events.sent", "endpoint", "/configured")).isEqualTo(2);
		for (CloseReason reason : CloseReason.values()) {
			assertThat(counter("sse.connections.closed", "endpoint", "/quiet", "reason",
					reason.name().toLowerCase(Locale.ROOT).replace('_', '-')))
				.as(reason.name()).isEqualTo(1);
		}
		assertThat(this.registry.get("sse.connections.active").tag("endpoint", "/quiet").gauge().value()).isZero();
		assertThat(this.registry.get("sse.connections.duration").tag("endpoint", "/quiet").timer().count())
			.isEqualTo(CloseReason.values().length);
		assertThat(this.registry.get("sse.connections.duration").tag("endpoint", "/ticks").timer().count())
			.isEqualTo(3);
	}

	@Test
	void tagsOnlyWithBoundedValuesAndDescribesEveryMeter() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/echo/someone-unique?greeting=x")) {
			stream.awaitEnd(WAIT);
		}
		// sse.stream and sse.stream.active are the sse.stream observation's, made by Boot's meter handler
		List<Meter> meters = this.registry.getMeters().stream()
			.filter((meter) -> meter.getId().getName().startsWith("sse.")
					&& !meter.getId().getName().startsWith("sse.stream"))
			.toList();
		assertThat(meters).isNotEmpty();
		assertThat(meters).allSatisfy((meter) -> {
			assertThat(meter.getId().getDescription()).isNotBlank();
			// every meter is an endpoint's, but for the broadcaster's count of refused topics and the runs' meters
			if (!meter.getId().getName().equals("sse.topics.refused")
					&& !meter.getId().getName().startsWith("sse.runs.")) {
				assertThat(meter.getId().getTag("endpoint")).doesNotContain("someone-unique");
			}
			assertThat(meter.getId().getTags()).extracting(Tag::getKey)
				.isSubsetOf("endpoint", "reason", "policy", "outcome", "application");
		});
		assertThat(this.registry.get("sse.events.sent").tag("endpoint", "/echo/{name}").counter().count()).isEqualTo(1);
	}

}

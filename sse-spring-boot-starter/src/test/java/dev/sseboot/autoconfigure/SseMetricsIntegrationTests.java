package dev.sseboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.autoconfigure.metrics.SseMetrics;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
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
	SseConnections connections;

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
		assertThat(this.registry.get(SseMetrics.ACTIVE).tag("endpoint", "/quiet").gauge().value())
			.isEqualTo(CloseReason.values().length);
		for (int i = 0; i < ids.size(); i++) {
			DefaultEventChannel channel = (DefaultEventChannel) TestEndpoints.CHANNELS.get(ids.get(i));
			channel.close(CloseReason.values()[i]);
		}
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
		quiet.forEach(SseStream::close);

		assertThat(counter(SseMetrics.SENT, "endpoint", "/ticks")).isEqualTo(12);
		assertThat(counter(SseMetrics.BYTES, "endpoint", "/ticks")).isEqualTo(bytes);
		assertThat(counter(SseMetrics.CLOSED, "endpoint", "/ticks", "reason", "completed")).isEqualTo(3);
		assertThat(counter(SseMetrics.DROPPED, "endpoint", "/configured", "policy", "drop-oldest")).isEqualTo(3);
		assertThat(counter(SseMetrics.SENT, "endpoint", "/configured")).isEqualTo(2);
		for (CloseReason reason : CloseReason.values()) {
			assertThat(counter(SseMetrics.CLOSED, "endpoint", "/quiet", "reason", SseMetrics.tag(reason)))
				.as(reason.name()).isEqualTo(1);
		}
		assertThat(this.registry.get(SseMetrics.ACTIVE).tag("endpoint", "/quiet").gauge().value()).isZero();
		assertThat(this.registry.get(SseMetrics.DURATION).tag("endpoint", "/quiet").timer().count())
			.isEqualTo(CloseReason.values().length);
		assertThat(this.registry.get(SseMetrics.DURATION).tag("endpoint", "/ticks").timer().count()).isEqualTo(3);
	}

	@Test
	void tagsOnlyWithBoundedValuesAndDescribesEveryMeter() throws Exception {
		try (SseStream stream = SseTestClient.local(this.port).open("/echo/someone-unique?greeting=x")) {
			stream.awaitEnd(WAIT);
		}
		List<Meter> meters = this.registry.getMeters().stream()
			.filter((meter) -> meter.getId().getName().startsWith("sse."))
			.toList();
		assertThat(meters).isNotEmpty();
		assertThat(meters).allSatisfy((meter) -> {
			assertThat(meter.getId().getDescription()).isNotBlank();
			// every meter is an endpoint's, but for the broadcaster's count of refused topics
			if (!meter.getId().getName().equals(SseMetrics.TOPICS_REFUSED)) {
				assertThat(meter.getId().getTag("endpoint")).doesNotContain("someone-unique");
			}
			assertThat(meter.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
				.isSubsetOf("endpoint", "reason", "policy", "application");
		});
		assertThat(this.registry.get(SseMetrics.SENT).tag("endpoint", "/echo/{name}").counter().count()).isEqualTo(1);
	}

}

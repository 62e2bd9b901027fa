package dev.sseboot.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import org.assertj.core.api.Assertions;

import static org.awaitility.Awaitility.await;

/** Records every disconnect; tests find theirs by connection id or endpoint. */
public class RecordingDisconnects implements SseDisconnectListener {

	public final List<SseDisconnect> all = new CopyOnWriteArrayList<>();

	@Override
	public void onDisconnect(SseDisconnect disconnect) {
		this.all.add(disconnect);
	}

	public List<SseDisconnect> of(String connectionId) {
		return this.all.stream().filter((d) -> d.connectionId().equals(connectionId)).toList();
	}

	/** Waits for the disconnect of {@code connectionId}, and checks there is exactly one. */
	public SseDisconnect awaitOne(String connectionId) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !of(connectionId).isEmpty());
		List<SseDisconnect> found = of(connectionId);
		Assertions.assertThat(found).hasSize(1);
		return found.get(0);
	}

	public List<SseDisconnect> forEndpoint(String endpoint) {
		return this.all.stream().filter((d) -> d.endpoint().equals(endpoint)).toList();
	}

}

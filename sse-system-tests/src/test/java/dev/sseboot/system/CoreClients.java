package dev.sseboot.system;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.client.SseClient;
import dev.sseboot.core.client.SseMessage;

/**
 * A few of sse-core's own {@link SseClient}s through the proxy, beside the Node ones: the same checks hold for them.
 * A read timeout above the heartbeat interval treats a silent connection as dropped, as a user would configure it.
 */
final class CoreClients implements AutoCloseable {

	final List<ClientLog> clients = new ArrayList<>();

	private final List<SseClient> sources = new ArrayList<>();

	CoreClients(String base, int count, int topics) {
		for (int i = 0; i < count; i++) {
			String topic = "t" + (i % topics);
			ClientLog log = new ClientLog("sse-client-" + i, topic);
			this.clients.add(log);
			SseClient client = SseClient.builder(URI.create(base + "/topics/" + topic))
				.readTimeout(Duration.ofSeconds(20))
				.listener(new SseClient.Listener() {

					@Override
					public void onEvent(SseMessage message) {
						char kind = "sse-reset".equals(message.event()) ? ClientLog.RESET : ClientLog.EVENT;
						log.add(new ClientLog.Entry(kind, System.currentTimeMillis(), message.data(),
								message.lastEventId(), 1));
					}

					@Override
					public void onStateChange(SseClient.State state, String detail) {
						long now = System.currentTimeMillis();
						switch (state) {
							case OPEN -> {
								log.state = 1;
								log.add(new ClientLog.Entry(ClientLog.OPEN, now, null, null, 1));
							}
							case RECONNECTING -> {
								log.state = 0;
								log.add(new ClientLog.Entry(ClientLog.ERROR, now, detail, null, 0));
							}
							case CLOSED -> {
								log.state = ClientLog.CLOSED;
								log.add(new ClientLog.Entry(ClientLog.ERROR, now, detail, null, ClientLog.CLOSED));
							}
							default -> {
							}
						}
					}

				})
				.build();
			this.sources.add(client);
			client.start();
		}
	}

	@Override
	public void close() {
		this.sources.forEach(SseClient::close);
	}

}

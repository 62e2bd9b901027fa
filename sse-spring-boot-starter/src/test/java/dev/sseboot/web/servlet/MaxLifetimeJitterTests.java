package dev.sseboot.web.servlet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.SseTransport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sse.max-lifetime}'s jitter: 200 streams of one lifetime close spread over its last tenth, with retries spread.
 */
class MaxLifetimeJitterTests {

	@Test
	void twoHundredStreamsCloseSpreadOutWithSpreadRetries() {
		Duration lifetime = Duration.ofMillis(600);
		ConcurrentLinkedQueue<Long> closedAfterMillis = new ConcurrentLinkedQueue<>();
		Set<String> retries = ConcurrentHashMap.newKeySet();
		List<CloseReason> reasons = new CopyOnWriteArrayList<>();
		long start = System.nanoTime();
		List<DefaultEventChannel> channels = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			DefaultEventChannel channel = DefaultEventChannel.builder(new SseTransport() {

				@Override
				public void write(byte[] bytes) {
					String text = new String(bytes, StandardCharsets.UTF_8);
					if (text.startsWith("retry: ")) {
						retries.add(text.trim());
					}
				}

				@Override
				public void flush() {
				}

				@Override
				public void close() {
				}
			}).build();
			channel.onClose((reason) -> {
				reasons.add(reason);
				closedAfterMillis.add((System.nanoTime() - start) / 1_000_000);
			});
			channel.start();
			SseConnectionFactory.closeAtEndOfLife(channel, lifetime);
			channels.add(channel);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> reasons.size() == 200);
		assertThat(reasons).containsOnly(CloseReason.COMPLETED);
		long first = closedAfterMillis.stream().mapToLong(Long::longValue).min().orElseThrow();
		long last = closedAfterMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
		// never before 90% of the lifetime; spread over its last tenth (60 ms) rather than all at once
		assertThat(first).isGreaterThanOrEqualTo(540);
		assertThat(last - first).isGreaterThanOrEqualTo(20);
		assertThat(retries).allMatch((retry) -> retry.matches("retry: [1-5]\\d{3}")).hasSizeGreaterThan(50);
	}

}

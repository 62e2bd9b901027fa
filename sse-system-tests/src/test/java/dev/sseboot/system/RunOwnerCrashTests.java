package dev.sseboot.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sseboot.core.SseRun;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's owner crashes: two instances in JVMs of their own on one redis-server, a run started on the first and
 * followed from the second, then the first is killed with SIGKILL (no shutdown hook, no last write). The client on
 * the second gets every token the owner shared, then an {@code error} event once the owner's lease has lapsed, and a
 * re-attach with that event's id gets 204.
 */
class RunOwnerCrashTests {

	/** {@code sse.runs.lease} for both instances: the owner renews it every third, a follower checks as often. */
	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void aClientOnAnotherInstanceGetsAnErrorWithinTheLeaseWhenTheOwnerIsKilled() throws Exception {
		Path dir = Files.createDirectories(Path.of("target", "system-runs", "run-owner-crash").toAbsolutePath());
		List<Integer> ports = SystemRun.freePorts(2);
		try (RedisServer redis = RedisServer.start()) {
			List<String> arguments = List.of("--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redis.port, "--sse.runs.lease=" + LEASE.toSeconds() + "s");
			Instance owner = new Instance(ports.get(0), "tomcat", arguments, dir);
			Instance other = new Instance(ports.get(1), "jetty", arguments, dir);
			List<Instance> instances = List.of(owner, other);
			try {
				for (Instance instance : instances) {
					instance.start();
				}
				for (Instance instance : instances) {
					instance.awaitReady();
				}
				String id;
				try (SseStream started = SseTestClient.local(owner.port)
					.request("/runs?tokens=100000&every=10")
					.post("text/plain", "")
					.open()) {
					id = started.header(SseRun.RUN_ID_HEADER);
					started.awaitEvent((m) -> m.lastEventId().equals(id + ":2"), WAIT);
				}
				try (SseStream follower = SseTestClient.local(other.port).open("/runs/" + id)) {
					follower.awaitEvent((m) -> m.lastEventId().equals(id + ":50"), WAIT);
					owner.kill();
					long killed = System.nanoTime();
					SseMessage error = follower.awaitEvent((m) -> "error".equals(m.event()), WAIT);
					Duration noticed = Duration.ofNanos(System.nanoTime() - killed);
					follower.awaitEnd(WAIT);
					List<SseMessage> got = new ArrayList<>(follower.events());

					// the lease lapses at most LEASE after its last renewal, and the follower looks every LEASE / 3
					assertThat(noticed).isLessThan(LEASE.multipliedBy(2));
					assertThat(got.get(got.size() - 1)).isEqualTo(error);
					assertThat(error.lastEventId()).isEqualTo(id + ":" + (got.size() - 1));
					for (int i = 0; i < got.size() - 1; i++) {
						assertThat(got.get(i).data()).isEqualTo("token " + i);
						assertThat(got.get(i).lastEventId()).isEqualTo(id + ":" + i);
					}
					System.out.printf("run owner killed after %d tokens shared: the follower got the error after %d ms"
							+ " (lease %d s)%n", got.size() - 1, noticed.toMillis(), LEASE.toSeconds());
					try (SseStream again = SseTestClient.local(other.port)
						.request("/runs/" + id)
						.lastEventId(error.lastEventId())
						.open()) {
						again.awaitEnd(WAIT);
						assertThat(again.status()).isEqualTo(204);
					}
				}
			}
			finally {
				for (Instance instance : instances) {
					if (instance.isAlive()) {
						instance.kill();
					}
				}
			}
		}
	}

}

package dev.sseboot.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.sseboot.testsupport.RedisCluster;
import dev.sseboot.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * The system test: three instances on Redis behind nginx, through a steady state, a rolling deploy, a crash, a
 * restart of everything at once, a Redis that restarts empty and stalled clients behind the proxy, with hundreds of
 * clients reading and a publisher publishing throughout; then the same on a three-master Redis Cluster, one of whose
 * masters restarts empty. Each run ends with {@link SystemRun#verify()}: nothing lost, nothing twice, nothing out of
 * order, no client stranded, every failure loud and explained. Figures go to {@code target/system-report-*.md}.
 */
class SystemTests {

	/** 30 s in CI; the longer variant sets minutes. */
	private static final Duration STEADY = Duration.ofSeconds(Long.getLong("sse.system.steady-seconds", 30));

	@Test
	void standaloneRedis() throws Exception {
		Path dir = runDirectory("standalone");
		try (RedisServer redis = RedisServer.start();
				SystemRun run = SystemRun.start("standalone", dir,
						List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port))) {
			run.steadyState(STEADY);
			run.rollingDeploy();
			run.crash();
			run.everythingRestarts();
			run.redisRestarts("5 Redis restarts without persistence", allTopics(), redis::stopProcess,
					redis::startProcess);
			run.slowProxyClients();
			run.verify();
		}
	}

	@Test
	void redisCluster() throws Exception {
		Path dir = runDirectory("cluster");
		try (RedisCluster cluster = RedisCluster.start();
				SystemRun run = SystemRun.start("cluster", dir,
						List.of("--spring.data.redis.cluster.nodes=" + cluster.nodes()))) {
			run.steadyState(Duration.ofSeconds(10));
			run.rollingDeploy();
			run.crash();
			run.everythingRestarts();
			int master = 0;
			Set<String> lost = topicsOn(cluster.ports.get(master));
			// the node comes back with its cluster configuration but no data; the run waits for its clients to catch up
			run.redisRestarts("6 a Cluster master restarts empty", lost, () -> cluster.stopNode(master),
					() -> cluster.startNode(master));
			run.verify();
		}
	}

	/** Where a run's logs go: kept after the build, so that a failure can be read (the assertion names it). */
	private static Path runDirectory(String label) throws IOException {
		Path dir = Path.of("target", "system-runs", label).toAbsolutePath();
		if (Files.exists(dir)) {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
		return Files.createDirectories(dir);
	}

	private static Set<String> allTopics() {
		Set<String> topics = new LinkedHashSet<>();
		for (int i = 0; i < SystemRun.TOPICS; i++) {
			topics.add("t" + i);
		}
		return topics;
	}

	/** The topics whose stream keys one Cluster node holds: the ones it loses when it restarts empty. */
	private static Set<String> topicsOn(int port) throws Exception {
		Process scan = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "--scan", "--pattern",
				"sse:topic:sys.t*").redirectErrorStream(true).start();
		List<String> keys = new ArrayList<>(new String(scan.getInputStream().readAllBytes()).lines().toList());
		scan.waitFor(10, TimeUnit.SECONDS);
		Set<String> topics = new LinkedHashSet<>();
		for (String key : keys) {
			topics.add(key.substring("sse:topic:sys.".length()));
		}
		if (topics.isEmpty()) {
			throw new IllegalStateException("no topic key on node " + port + ": " + keys);
		}
		return topics;
	}

}

package dev.sseboot.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real three-master Redis Cluster on loopback: three redis-server processes with {@code --cluster-enabled yes},
 * joined by {@code redis-cli --cluster create}, each stopped by its PID. Without the binaries the test is skipped,
 * except with {@code CI=true}, where it fails.
 */
public final class RedisCluster implements AutoCloseable {

	private static final File SERVER = new File("/usr/bin/redis-server");

	private static final File CLI = new File("/usr/bin/redis-cli");

	public final List<Integer> ports;

	private final Path dir;

	private final Process[] processes;

	private RedisCluster(List<Integer> ports, Path dir) {
		this.ports = ports;
		this.dir = dir;
		this.processes = new Process[ports.size()];
	}

	public static RedisCluster start() throws Exception {
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(SERVER.canExecute() && CLI.canExecute(),
					"redis-server and redis-cli are not installed (bash .ci/run installs them)");
		}
		RedisCluster cluster = new RedisCluster(freePorts(3), Files.createTempDirectory("sse-redis-cluster"));
		for (int i = 0; i < cluster.ports.size(); i++) {
			cluster.startNode(i);
		}
		List<String> command = new ArrayList<>(List.of(CLI.getPath(), "--cluster", "create"));
		cluster.ports.forEach((port) -> command.add("127.0.0.1:" + port));
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		run(command, cluster.dir.resolve("create.log"));
		await().atMost(Duration.ofSeconds(30)).until(cluster::isOk);
		return cluster;
	}

	/** {@code host:port,...}, for {@code spring.data.redis.cluster.nodes}. */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/** Starts node {@code i} (again): with no data, but with its cluster configuration, so it rejoins. */
	public void startNode(int i) throws IOException {
		int port = this.ports.get(i);
		this.processes[i] = new ProcessBuilder(SERVER.getPath(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
				"--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
				"--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no", "--dir", this.dir.toString(),
				"--daemonize", "no")
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis-" + port + ".log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> ping(port));
	}

	/** Stops node {@code i} by its PID and waits for it to exit. */
	public void stopNode(int i) throws InterruptedException {
		Process process = this.processes[i];
		if (process != null) {
			process.destroy();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			this.processes[i] = null;
		}
	}

	/** Whether every node reports {@code cluster_state:ok}. */
	public boolean isOk() {
		for (int port : this.ports) {
			String info = cli(port, "cluster", "info");
			if (!info.contains("cluster_state:ok")) {
				return false;
			}
		}
		return true;
	}

	private static boolean ping(int port) {
		return cli(port, "ping").trim().equals("PONG");
	}

	private static String cli(int port, String... args) {
		List<String> command = new ArrayList<>(List.of(CLI.getPath(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	private static void run(List<String> command, Path log) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
		}
	}

	/** Ports free on loopback whose cluster bus ports (port + 10000) are free too. */
	private static List<Integer> freePorts(int count) throws IOException {
		List<Integer> ports = new ArrayList<>();
		while (ports.size() < count) {
			int port;
			try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = probe.getLocalPort();
			}
			if (port + 10_000 <= 65_535 && !ports.contains(port) && isFree(port + 10_000)) {
				ports.add(port);
			}
		}
		return ports;
	}

	private static boolean isFree(int port) {
		try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws Exception {
		for (int i = 0; i < this.processes.length; i++) {
			stopNode(i);
		}
		try (var files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}

package dev.sseboot.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * A real redis-server from Debian's package on a free loopback port, run as a child process and stopped by its PID.
 * Without the binary the test is skipped, except with {@code CI=true}, where it fails.
 */
public final class RedisServer implements AutoCloseable {

	private static final File BINARY = new File("/usr/bin/redis-server");

	public final int port;

	private final Path dir;

	private Process process;

	private RedisServer(int port, Path dir) {
		this.port = port;
		this.dir = dir;
	}

	public static RedisServer start() throws IOException {
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(BINARY.canExecute(), "redis-server is not installed (bash .ci/run installs it)");
		}
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		RedisServer server = new RedisServer(port, Files.createTempDirectory("sse-redis"));
		server.startProcess();
		return server;
	}

	/** Starts (again) on the same port, with no data: like a Redis that restarted without persistence. */
	public void startProcess() throws IOException {
		this.process = new ProcessBuilder(BINARY.getPath(), "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.dir.toString(), "--daemonize", "no")
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20)).until(this::answersPing);
	}

	/** Stops the process by its PID and waits for it to exit. */
	public void stopProcess() throws InterruptedException {
		if (this.process != null) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	public boolean answersPing() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int n = in.read(reply);
			return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() throws Exception {
		stopProcess();
		try (var files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}

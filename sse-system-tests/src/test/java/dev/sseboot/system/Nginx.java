package dev.sseboot.system;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * nginx from Debian's package in front of the instances, run in the foreground as a child process and stopped by its
 * PID. Its server block is the repository's {@code docs/nginx/sse-boot.conf}, the very file README tells users to
 * copy, with only the ports replaced; the wrapper around it keeps every path inside the test's directory and logs
 * each request's method, status and upstream status, so that the test can prove no 5xx reached a client.
 */
final class Nginx implements AutoCloseable {

	private static final File BINARY = new File("/usr/sbin/nginx");

	/** The user's file, relative to this module. */
	static final Path CONFIG = Path.of("..", "docs", "nginx", "sse-boot.conf");

	final int port;

	private final Path dir;

	private final Process process;

	private Nginx(int port, Path dir, Process process) {
		this.port = port;
		this.dir = dir;
		this.process = process;
	}

	static Nginx start(int port, List<Integer> instancePorts, Path where) throws IOException {
		Path dir = where.toAbsolutePath();
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(BINARY.canExecute(), "nginx is not installed (bash .ci/run installs it)");
		}
		String server = Files.readString(CONFIG);
		for (int i = 0; i < instancePorts.size(); i++) {
			server = server.replace("127.0.0.1:808" + (i + 1) + " ", "127.0.0.1:" + instancePorts.get(i) + " ");
		}
		server = server.replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
		Files.writeString(dir.resolve("sse-boot.conf"), server);
		Files.createDirectories(dir.resolve("temp"));
		String main = """
				daemon off;
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				events { worker_connections 16384; }
				http {
					log_format requests '$msec $request_method $uri $status $upstream_status';
					access_log %1$s/access.log requests;
				# the publisher's large events stay in memory
				client_body_buffer_size 64k;
					client_body_temp_path %1$s/temp/body;
					proxy_temp_path %1$s/temp/proxy;
					fastcgi_temp_path %1$s/temp/fastcgi;
					uwsgi_temp_path %1$s/temp/uwsgi;
					scgi_temp_path %1$s/temp/scgi;
					include %1$s/sse-boot.conf;
				}
				""".formatted(dir);
		Path conf = dir.resolve("nginx.conf");
		Files.writeString(conf, main);
		Process process = new ProcessBuilder(BINARY.getPath(), "-p", dir.toString(), "-c", conf.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("nginx.out").toFile())
			.start();
		Nginx nginx = new Nginx(port, dir, process);
		await("nginx listening on " + port).atMost(Duration.ofSeconds(20)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
			}
			return nginx.listens();
		});
		return nginx;
	}

	private boolean listens() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The error log's lines from {@code from} on (a line count), to read what one scenario added. */
	List<String> errorLog() throws IOException {
		return Files.readAllLines(this.dir.resolve("error.log"), StandardCharsets.UTF_8);
	}

	/** The access log's lines: {@code msec method uri status upstream_status}. */
	List<String> accessLog() throws IOException {
		return Files.readAllLines(this.dir.resolve("access.log"), StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}

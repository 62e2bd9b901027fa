package dev.sseboot.system;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hundreds of npm {@code eventsource} clients in one Node process ({@code src/test/node/clients.mjs}), each with
 * its own connection through the proxy; {@link #collect()} asks the process for what they saw since the last time and
 * adds it to each client's {@link ClientLog}.
 */
final class NodeClients implements AutoCloseable {

	private static final Path SCRIPT_DIR = Path.of("src", "test", "node");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final List<ClientLog> clients = new ArrayList<>();

	private final Process process;

	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	private NodeClients(Process process) {
		this.process = process;
		Thread reader = new Thread(this::readLines, "node-clients");
		reader.setDaemon(true);
		reader.start();
	}

	static NodeClients start(String base, int count, int topics, Path dir) throws IOException, InterruptedException {
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(new File("/usr/bin/node").canExecute(),
					"node is not installed (.ci/run installs it)");
			Assumptions.assumeTrue(SCRIPT_DIR.resolve("node_modules").toFile().isDirectory(),
					"run npm ci in " + SCRIPT_DIR + " (.ci/run does)");
		}
		Process process = new ProcessBuilder("node", "clients.mjs", base, String.valueOf(count), String.valueOf(topics))
			.directory(SCRIPT_DIR.toFile())
			.redirectError(dir.resolve("node-clients.err").toFile())
			.start();
		NodeClients node = new NodeClients(process);
		for (int i = 0; i < count; i++) {
			node.clients.add(new ClientLog("eventsource-" + i, "t" + (i % topics)));
		}
		String started = node.lines.poll(30, TimeUnit.SECONDS);
		if (started == null || !started.contains("\"started\"")) {
			throw new IllegalStateException("node clients did not start: " + started + "; see " + dir);
		}
		return node;
	}

	private void readLines() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// the process ended; collect() notices
		}
	}

	/** Adds what every client saw since the last call to its log. */
	void collect() throws IOException, InterruptedException {
		OutputStream in = this.process.getOutputStream();
		in.write("report\n".getBytes(StandardCharsets.US_ASCII));
		in.flush();
		String line = this.lines.poll(30, TimeUnit.SECONDS);
		if (line == null) {
			throw new IllegalStateException("node clients did not report (alive: " + this.process.isAlive() + ")");
		}
		JsonNode report = JSON.readTree(line);
		JsonNode all = report.get("clients");
		for (int i = 0; i < all.size(); i++) {
			JsonNode client = all.get(i);
			ClientLog log = this.clients.get(i);
			log.state = client.get("readyState").asInt();
			JsonNode entries = client.get("log");
			for (int j = 0; j < entries.size(); j++) {
				JsonNode entry = entries.get(j);
				char kind = entry.get(0).asString().charAt(0);
				long at = entry.get(1).asLong();
				switch (kind) {
					case ClientLog.ERROR -> log.add(new ClientLog.Entry(kind, at, null, null, entry.get(2).asInt()));
					case ClientLog.OPEN -> log.add(new ClientLog.Entry(kind, at, null, null, 1));
					default -> log.add(
							new ClientLog.Entry(kind, at, entry.get(2).asString(), entry.get(3).asString(), 1));
				}
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		try {
			OutputStream in = this.process.getOutputStream();
			in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
			in.flush();
		}
		catch (IOException ex) {
			// already gone
		}
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}

package dev.sseboot.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Node script of {@code src/test/node}, run with its arguments while its output is read: each line it prints is
 * kept, a JSON object as its map, anything else as {@code {"raw": line}}. Closing it stops the process by its PID.
 */
final class NodeScript implements AutoCloseable {

	static final File DIRECTORY = new File("src/test/node");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final Thread reader;

	private final List<Map<String, Object>> lines = new CopyOnWriteArrayList<>();

	private NodeScript(Process process) {
		this.process = process;
		this.reader = new Thread(this::read, "node-output");
		this.reader.start();
	}

	/**
	 * Starts {@code script} with {@code args} once npm installed {@code module}: without it the test is skipped,
	 * except with {@code CI=true}, where it fails.
	 */
	static NodeScript start(String module, String script, String... args) throws IOException {
		boolean installed = new File(DIRECTORY, "node_modules/" + module + "/package.json").isFile();
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(installed, "npm " + module + " is not installed (bash .ci/run installs it)");
		}
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		return new NodeScript(new ProcessBuilder(command).directory(DIRECTORY).redirectErrorStream(true).start());
	}

	/** The lines printed so far. */
	List<Map<String, Object>> lines() {
		return this.lines;
	}

	/** Waits up to {@code timeout} for the script to exit, then for its last lines; whether it exited. */
	boolean awaitExit(Duration timeout) throws InterruptedException {
		boolean exited = this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (exited) {
			this.reader.join(10_000);
		}
		return exited;
	}

	int exitValue() {
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
		this.reader.join(10_000);
	}

	@SuppressWarnings("unchecked")
	private void read() {
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				this.lines.add(line.startsWith("{") ? JSON.readValue(line, Map.class) : Map.of("raw", line));
			}
		}
		catch (Exception ex) {
			this.lines.add(Map.of("readerFailed", ex.toString()));
		}
	}

}

package dev.sseboot.core.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server whose n-th connection runs the n-th script (the last one repeats), and which records every
 * request. Scripts that keep a stream open wait for {@link #close()}.
 */
final class ScriptedServer implements AutoCloseable {

	interface Script {

		void run(Stream stream) throws Exception;

	}

	record Request(HttpExchange exchange, long arrivedNanos) {

		String header(String name) {
			return this.exchange.getRequestHeaders().getFirst(name);
		}

	}

	static final class Stream {

		private final HttpExchange exchange;

		private final CountDownLatch released;

		private OutputStream body;

		Stream(HttpExchange exchange, CountDownLatch released) {
			this.exchange = exchange;
			this.released = released;
		}

		Stream open() throws IOException {
			return status(200, "text/event-stream");
		}

		Stream status(int status, String contentType) throws IOException {
			this.exchange.getResponseHeaders().set("Content-Type", contentType);
			this.exchange.sendResponseHeaders(status, (status == 204) ? -1 : 0);
			this.body = this.exchange.getResponseBody();
			return this;
		}

		Stream send(String text) throws IOException {
			return send(text.getBytes(StandardCharsets.UTF_8));
		}

		Stream send(byte[] bytes) throws IOException {
			this.body.write(bytes);
			this.body.flush();
			return this;
		}

		/** Keeps the stream open until the server closes. */
		void hold() throws InterruptedException {
			this.released.await(60, TimeUnit.SECONDS);
		}

		void end() {
			this.exchange.close();
		}

	}

	final List<Request> requests = new CopyOnWriteArrayList<>();

	final List<Long> endedNanos = new CopyOnWriteArrayList<>();

	private final List<Script> scripts;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final CountDownLatch released = new CountDownLatch(1);

	ScriptedServer(Script... scripts) throws IOException {
		this.scripts = List.of(scripts);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/events");
	}

	private void handle(HttpExchange exchange) {
		int index = this.requests.size();
		this.requests.add(new Request(exchange, System.nanoTime()));
		Script script = this.scripts.get(Math.min(index, this.scripts.size() - 1));
		try {
			script.run(new Stream(exchange, this.released));
		}
		catch (Exception ex) {
			// the client went away: nothing to do
		}
		finally {
			this.endedNanos.add(System.nanoTime());
			exchange.close();
		}
	}

	@Override
	public void close() {
		this.released.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}

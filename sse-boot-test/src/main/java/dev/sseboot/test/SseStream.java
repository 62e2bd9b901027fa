package dev.sseboot.test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;
import org.jspecify.annotations.Nullable;

/**
 * One response read in the background: its status, headers, exact body bytes (de-chunked) and the events a WHATWG
 * parser reads from them. Every await has a deadline and fails with an {@link AssertionError} that shows what did
 * arrive.
 */
public final class SseStream implements AutoCloseable {

	private final SseTestClient client;

	private final String path;

	private final Map<String, byte[]> requestHeaders;

	private final Socket socket;

	private final Object lock = new Object();

	private final List<SseMessage> events = new ArrayList<>();

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private final Map<String, String> headers = new LinkedHashMap<>();

	private final SseParser parser = new SseParser(this::received);

	private int status = -1;

	private boolean ended;

	private @Nullable IOException failure;

	private SseStream(SseTestClient client, String path, Map<String, byte[]> requestHeaders, Socket socket) {
		this.client = client;
		this.path = path;
		this.requestHeaders = requestHeaders;
		this.socket = socket;
	}

	static SseStream open(SseTestClient client, String host, int port, String method, String path,
			Map<String, byte[]> headers, byte @Nullable [] body) throws IOException {
		Socket socket = new Socket(host, port);
		socket.setTcpNoDelay(true);
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		headers.forEach((name, value) -> {
			request.writeBytes((name + ": ").getBytes(StandardCharsets.US_ASCII));
			request.writeBytes(value);
			request.writeBytes(new byte[] { '\r', '\n' });
		});
		request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		if (body != null) {
			request.writeBytes(body);
		}
		OutputStream out = socket.getOutputStream();
		out.write(request.toByteArray());
		out.flush();
		SseStream stream = new SseStream(client, path, new LinkedHashMap<>(headers), socket);
		Thread reader = new Thread(stream::read, "sse-test-reader " + path);
		reader.setDaemon(true);
		reader.start();
		return stream;
	}

	/** The status code, waiting up to 10 seconds for the response head. */
	public int status() {
		awaitHead();
		synchronized (this.lock) {
			return this.status;
		}
	}

	/** A response header (first value), or {@code null}; names are case-insensitive. */
	public @Nullable String header(String name) {
		awaitHead();
		synchronized (this.lock) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	/** All response headers, names in lower case. */
	public Map<String, String> headers() {
		awaitHead();
		synchronized (this.lock) {
			return Map.copyOf(this.headers);
		}
	}

	/** The body bytes received so far, exactly as the server wrote them (chunking removed). */
	public byte[] rawBytes() {
		synchronized (this.lock) {
			return this.body.toByteArray();
		}
	}

	/** The body so far as UTF-8 text. */
	public String rawText() {
		return new String(rawBytes(), StandardCharsets.UTF_8);
	}

	/** The events received so far. */
	public List<SseMessage> events() {
		synchronized (this.lock) {
			return List.copyOf(this.events);
		}
	}

	/** The last event id seen, as a browser would send it on reconnect; empty when none. */
	public String lastEventId() {
		synchronized (this.lock) {
			return this.parser.lastEventId();
		}
	}

	/** Waits until {@code count} events have arrived, and returns the first {@code count}. */
	public List<SseMessage> awaitEvents(int count, Duration timeout) {
		await(() -> this.events.size() >= count, timeout, "expected " + count + " events");
		synchronized (this.lock) {
			return List.copyOf(this.events.subList(0, count));
		}
	}

	/** Waits for an event that matches {@code condition}, and returns it. */
	public SseMessage awaitEvent(Predicate<SseMessage> condition, Duration timeout) {
		await(() -> this.events.stream().anyMatch(condition), timeout, "expected an event that matches");
		synchronized (this.lock) {
			return this.events.stream().filter(condition).findFirst().orElseThrow();
		}
	}

	/** Waits until the body text matches {@code condition}, and returns the body text. */
	public String awaitText(Predicate<String> condition, Duration timeout) {
		await(() -> condition.test(this.body.toString(StandardCharsets.UTF_8)), timeout,
				"expected body text that matches");
		return rawText();
	}

	/** Waits until the server ends the response. */
	public SseStream awaitEnd(Duration timeout) {
		await(() -> this.ended, timeout, "expected the server to end the stream");
		return this;
	}

	/** Whether the server has ended the response. */
	public boolean isEnded() {
		synchronized (this.lock) {
			return this.ended;
		}
	}

	/** Cuts the connection at once, with a TCP reset, as a vanished client does. */
	public void cut() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	/** Opens the same path again with the same headers and {@code Last-Event-ID} set to the last id seen. */
	public SseStream reconnect() throws IOException {
		SseTestClient.Request request = this.client.request(this.path);
		this.requestHeaders.forEach(request::rawHeader);
		request.without("Last-Event-ID");
		String last = lastEventId();
		if (!last.isEmpty()) {
			request.lastEventId(last);
		}
		return request.open();
	}

	@Override
	public void close() {
		cut();
	}

	private void awaitHead() {
		await(() -> this.status >= 0 || this.ended, Duration.ofSeconds(10), "expected a response");
	}

	private void await(BooleanSupplier condition, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (!condition.getAsBoolean()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError(what + " within " + timeout + "; status " + this.status + ", "
							+ this.events.size() + " events, ended " + this.ended
							+ ((this.failure != null) ? ", failed " + this.failure : "") + ", body so far:\n"
							+ this.body.toString(StandardCharsets.UTF_8));
				}
				try {
					this.lock.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new AssertionError("interrupted while waiting: " + what, ex);
				}
			}
		}
	}

	private void received(SseMessage message) {
		this.events.add(message);
	}

	private void read() {
		try (InputStream in = this.socket.getInputStream()) {
			readHead(in);
			String encoding;
			String length;
			synchronized (this.lock) {
				if (this.status == 204 || this.status == 304) {
					// no body by HTTP's rules: the response ends with its head
					return;
				}
				encoding = this.headers.getOrDefault("transfer-encoding", "");
				length = this.headers.get("content-length");
			}
			if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
				readChunked(in);
			}
			else if (length != null) {
				readFixed(in, Long.parseLong(length.trim()));
			}
			else {
				readToEnd(in);
			}
		}
		catch (IOException ex) {
			synchronized (this.lock) {
				this.failure = ex;
			}
		}
		finally {
			synchronized (this.lock) {
				this.ended = true;
				this.lock.notifyAll();
			}
		}
	}

	private void readHead(InputStream in) throws IOException {
		String statusLine = line(in);
		String[] parts = statusLine.split(" ", 3);
		Map<String, String> head = new LinkedHashMap<>();
		String line;
		while (!(line = line(in)).isEmpty()) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				head.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).trim());
			}
		}
		synchronized (this.lock) {
			this.headers.putAll(head);
			this.status = Integer.parseInt(parts[1]);
			this.lock.notifyAll();
		}
	}

	private void readChunked(InputStream in) throws IOException {
		while (true) {
			String size = line(in);
			int semicolon = size.indexOf(';');
			long length = Long.parseLong(((semicolon >= 0) ? size.substring(0, semicolon) : size).trim(), 16);
			if (length == 0) {
				return;
			}
			readFixed(in, length);
			line(in);
		}
	}

	private void readFixed(InputStream in, long length) throws IOException {
		byte[] buffer = new byte[8192];
		long left = length;
		while (left > 0) {
			int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (n < 0) {
				throw new EOFException("stream ended inside a chunk");
			}
			deliver(buffer, n);
			left -= n;
		}
	}

	private void readToEnd(InputStream in) throws IOException {
		byte[] buffer = new byte[8192];
		int n;
		while ((n = in.read(buffer)) >= 0) {
			deliver(buffer, n);
		}
	}

	private void deliver(byte[] buffer, int n) {
		synchronized (this.lock) {
			this.body.write(buffer, 0, n);
			this.parser.feed(buffer, 0, n);
			this.lock.notifyAll();
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int end = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
			}
			line.write(b);
		}
		throw new EOFException("connection closed");
	}

	@Override
	public String toString() {
		synchronized (this.lock) {
			return "SseStream{" + this.path + ", status " + this.status + ", " + this.events.size() + " events"
					+ (this.ended ? ", ended" : "") + "}";
		}
	}


}

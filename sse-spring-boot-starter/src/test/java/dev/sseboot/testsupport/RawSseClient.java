package dev.sseboot.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.sseboot.core.client.SseMessage;
import dev.sseboot.core.client.SseParser;

/**
 * An SSE client on a plain socket with a small receive window, for clients that read slowly or not at all: it reads
 * the response head and then only what the test asks for. A stalled one fills its window and the server's send
 * buffer within a few events, after which the server's writes stop being taken, as with a phone on a bad network.
 * Events it does read are parsed and counted, their data not kept, so that long runs stay small.
 */
public final class RawSseClient implements AutoCloseable {

	private static final int RECEIVE_BUFFER = 4096;

	private final Socket socket;

	private final InputStream in;

	private final InputStream body;

	private final int status;

	private final boolean chunked;

	private final Map<String, String> headers;

	private final AtomicInteger events = new AtomicInteger();

	/** The id of every event read, in order. */
	public final List<String> ids = new CopyOnWriteArrayList<>();

	private volatile boolean ended;

	private volatile boolean reading;

	private RawSseClient(Socket socket, int status, Map<String, String> headers) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.status = status;
		this.headers = headers;
		this.chunked = String.valueOf(headers.get("transfer-encoding")).contains("chunked");
		this.body = this.chunked ? new Dechunking(this.in) : this.in;
	}

	/** Opens {@code path} on 127.0.0.1 and reads the response head, nothing more. */
	public static RawSseClient open(int port, String path) throws IOException {
		Socket socket = new Socket();
		// set before connecting, so that the window the client advertises stays small
		socket.setReceiveBufferSize(RECEIVE_BUFFER);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setSoTimeout(10_000);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		String statusLine = line(in);
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new HashMap<>();
		String header;
		while (!(header = line(in)).isEmpty()) {
			int colon = header.indexOf(':');
			headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
		}
		return new RawSseClient(socket, status, headers);
	}

	public int status() {
		return this.status;
	}

	/** A response header, by case-insensitive name; {@code null} when absent. */
	String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/** Events read so far. */
	public int events() {
		return this.events.get();
	}

	/** Whether the server ended the stream (cleanly or not) while this client was reading. */
	public boolean isEnded() {
		return this.ended;
	}

	/**
	 * Reads the body byte by byte up to the end of its first event, and returns that event's data: what a test
	 * endpoint sends first (the connection's id). Reads nothing more.
	 */
	public String readFirstEvent() throws IOException {
		List<SseMessage> first = new ArrayList<>(1);
		SseParser parser = new SseParser(new SseParser.Handler() {

			@Override
			public void onEvent(SseMessage message) {
				first.add(message);
			}

		});
		byte[] one = new byte[1];
		while (first.isEmpty()) {
			if (this.body.read(one, 0, 1) < 0) {
				throw new IOException("stream ended before its first event");
			}
			parser.feed(one);
		}
		return first.get(0).data();
	}

	/** Reads on a thread of its own, as fast as the server sends. */
	public RawSseClient startReading() {
		return startReading(Integer.MAX_VALUE, Duration.ZERO);
	}

	/** Reads on a thread of its own, at most {@code bytes} every {@code every}: a slow reader. */
	public RawSseClient startReading(int bytes, Duration every) {
		this.reading = true;
		Thread reader = new Thread(() -> read(bytes, every), "raw-sse-client");
		reader.setDaemon(true);
		reader.start();
		return this;
	}

	/**
	 * Whether the server has closed the connection without this client reading anything: the server's kernel then
	 * refuses the client's probe with a reset, or, when the client's window still holds unread bytes, the probe's
	 * write fails later. Reads nothing, so that a server waiting for the client to read cannot pass by it.
	 */
	public boolean isClosedByServer() {
		try {
			OutputStream out = this.socket.getOutputStream();
			// a pipelined request would be harmless on an open connection: the server reads none while streaming
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/**
	 * Reads what is left, raw, until the server (or a proxy) ends the connection: the bytes it read, or -1 when the
	 * connection was still open after {@code timeout}. What a stalled client drains is what the path to it buffered.
	 */
	public long drainUntilEnd(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		byte[] buffer = new byte[8192];
		long drained = 0;
		try {
			while (System.nanoTime() < deadline) {
				this.socket.setSoTimeout((int) Math.max(1,
						TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				int n = this.in.read(buffer);
				if (n < 0) {
					return drained;
				}
				drained += n;
			}
			return -1;
		}
		catch (SocketTimeoutException ex) {
			return -1;
		}
		catch (IOException ex) {
			// reset rather than closed: the end all the same
			return drained;
		}
	}

	private void read(int bytes, Duration every) {
		SseParser parser = new SseParser(new SseParser.Handler() {

			@Override
			public void onEvent(SseMessage message) {
				RawSseClient.this.ids.add(message.lastEventId());
				RawSseClient.this.events.incrementAndGet();
			}

		});
		byte[] buffer = new byte[Math.min(bytes, 64 * 1024)];
		try {
			int n;
			while (this.reading && (n = this.body.read(buffer)) >= 0) {
				parser.feed(buffer, 0, n);
				if (!every.isZero()) {
					LockSupport.parkNanos(every.toNanos());
				}
			}
			this.ended = this.reading;
		}
		catch (SocketException | SocketTimeoutException ex) {
			this.ended = this.reading;
		}
		catch (IOException ex) {
			this.ended = true;
		}
	}

	@Override
	public void close() {
		this.reading = false;
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		if (b < 0 && line.size() == 0) {
			throw new IOException("connection closed before the response head ended");
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/** The body of a chunked response; ends at the last chunk. */
	private static final class Dechunking extends InputStream {

		private final InputStream in;

		private int left;

		private boolean done;

		public Dechunking(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.done) {
				return -1;
			}
			if (this.left == 0) {
				String size = line(this.in);
				if (size.isEmpty()) {
					size = line(this.in);
				}
				this.left = Integer.parseInt(size.split(";")[0].trim(), 16);
				if (this.left == 0) {
					this.done = true;
					return -1;
				}
			}
			int n = this.in.read(buffer, offset, Math.min(length, this.left));
			if (n > 0) {
				this.left -= n;
			}
			return n;
		}

	}

}

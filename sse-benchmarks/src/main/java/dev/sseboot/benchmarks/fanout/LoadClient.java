package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Holds N SSE connections on one selector thread (no thread per connection) to 127.0.0.1 and measures what arrives:
 * events per connection, sequence gaps and duplicates, and latency from each event's due time (carried in the
 * payload as {@link System#nanoTime()}, comparable across processes on Linux). Only {@code data:} lines are parsed,
 * so chunked framing and other fields are skipped.
 */
final class LoadClient implements AutoCloseable {

	private static final int MAX_SAMPLES = 40_000_000;

	/** The longest line kept; the rest of a longer line is skipped (payloads are at most 65,536 bytes). */
	private static final int MAX_LINE = 70_000;

	private final Selector selector;

	private final List<Connection> connections = new ArrayList<>();

	private final Thread loop;

	private volatile boolean running = true;

	private final Object lock = new Object();

	private int[] latenciesMicros = new int[1 << 20];

	private int samples;

	private long events;

	private long duplicates;

	private long lastProgressNanos = System.nanoTime();

	private LoadClient() throws IOException {
		this.selector = Selector.open();
		this.loop = new Thread(this::select, "load-client");
		this.loop.setDaemon(true);
	}

	/** Opens {@code count} streams of {@code path} on loopback and waits until every one has its 200 headers. */
	static LoadClient connect(int port, String path, int count, Duration timeout) throws IOException {
		return connect(port, (i) -> path, count, timeout);
	}

	/** Opens {@code count} streams, stream {@code i} of {@code path.apply(i)}, as above. */
	static LoadClient connect(int port, IntFunction<String> path, int count, Duration timeout)
			throws IOException {
		return connect(port, path, count, timeout, 1);
	}

	/**
	 * As above, from {@code sources} loopback source addresses in turn (127.0.0.2, 127.0.0.3, ...; 127.0.0.1 when
	 * 1), so that the ephemeral port range (about 28,000 per source address) is no limit.
	 */
	static LoadClient connect(int port, IntFunction<String> path, int count, Duration timeout,
			int sources) throws IOException {
		InetAddress[] locals = new InetAddress[Math.max(1, sources)];
		for (int i = 0; i < locals.length; i++) {
			locals[i] = InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) ((sources > 1) ? 2 + i : 1) });
		}
		return connect(port, path, count, timeout, locals);
	}

	/** As above, from the given loopback source addresses in turn. */
	static LoadClient connect(int port, IntFunction<String> path, int count, Duration timeout, InetAddress[] locals)
			throws IOException {
		LoadClient client = new LoadClient();
		client.loop.start();
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
		long deadline = System.nanoTime() + timeout.toNanos();
		int batch = 250;
		for (int opened = 0; opened < count; opened += batch) {
			int size = Math.min(batch, count - opened);
			for (int i = 0; i < size; i++) {
				byte[] request = ("GET " + path.apply(opened + i) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
						+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
				SocketChannel socket = SocketChannel.open();
				socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
				socket.bind(new InetSocketAddress(locals[(opened + i) % locals.length], 0));
				socket.connect(address);
				socket.write(ByteBuffer.wrap(request));
				socket.configureBlocking(false);
				Connection connection = new Connection(socket);
				synchronized (client.lock) {
					client.connections.add(connection);
				}
				client.selector.wakeup();
				client.pending.add(connection);
			}
			client.selector.wakeup();
			if (System.nanoTime() > deadline) {
				throw new IOException("could not open " + count + " connections in time");
			}
			// pace the waves so the server's accept queue keeps up; the caller then waits for the server's own count
			parkMillis(20);
		}
		return client;
	}

	private final ConcurrentLinkedQueue<Connection> pending = new ConcurrentLinkedQueue<>();

	private static void parkMillis(long millis) {
		LockSupport.parkNanos(millis * 1_000_000L);
	}

	/**
	 * Waits until every connection has {@code expected} events, or nothing arrives for {@code quiet} (counted from
	 * this call at the earliest: the last event may have come long before it, while streams were opening).
	 */
	void awaitDelivery(long expectedPerConnection, Duration quiet, Duration max) {
		long start = System.nanoTime();
		long deadline = start + max.toNanos();
		while (System.nanoTime() < deadline) {
			synchronized (this.lock) {
				if (this.events >= expectedPerConnection * this.connections.size()) {
					return;
				}
				if (System.nanoTime() - Math.max(this.lastProgressNanos, start) > quiet.toNanos()) {
					return;
				}
			}
			parkMillis(50);
		}
	}

	/** Events received so far, on all connections, repeats left out. */
	long events() {
		synchronized (this.lock) {
			return this.events;
		}
	}

	Result result(long expectedPerConnection) {
		synchronized (this.lock) {
			int[] sorted = Arrays.copyOf(this.latenciesMicros, this.samples);
			Arrays.sort(sorted);
			long lost = 0;
			long closed = 0;
			for (Connection connection : this.connections) {
				lost += Math.max(0, expectedPerConnection - connection.received);
				closed += connection.ended ? 1 : 0;
			}
			return new Result(this.connections.size(), this.events, expectedPerConnection * this.connections.size(),
					lost, this.duplicates, closed, percentile(sorted, 0.50), percentile(sorted, 0.99),
					percentile(sorted, 0.999), (sorted.length > 0) ? sorted[sorted.length - 1] / 1000.0 : 0);
		}
	}

	/** Every latency recorded so far, in microseconds, in arrival order. */
	int[] latenciesMicros() {
		synchronized (this.lock) {
			return Arrays.copyOf(this.latenciesMicros, this.samples);
		}
	}

	/** The {@code p} quantile of {@code sorted} latencies in microseconds, in milliseconds. */
	static double percentile(int[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1000.0;
	}

	/**
	 * What one run measured; latencies in milliseconds.
	 */
	record Result(int connections, long delivered, long expected, long lost, long duplicates, long endedByServer,
			double p50Millis, double p99Millis, double p999Millis, double maxMillis) {

		double deliveredRatio() {
			return (this.expected == 0) ? 1 : (double) this.delivered / this.expected;
		}

	}

	private void select() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
		byte[] bytes = new byte[1 << 16];
		try {
			while (this.running) {
				Connection next;
				while ((next = this.pending.poll()) != null) {
					next.socket.register(this.selector, SelectionKey.OP_READ, next);
				}
				this.selector.select(100);
				for (SelectionKey key : this.selector.selectedKeys()) {
					Connection connection = (Connection) key.attachment();
					buffer.clear();
					int n;
					try {
						n = connection.socket.read(buffer);
					}
					catch (IOException ex) {
						n = -1;
					}
					if (n < 0) {
						connection.ended = true;
						key.cancel();
						continue;
					}
					buffer.flip();
					buffer.get(bytes, 0, n);
					long now = System.nanoTime();
					connection.feed(this, bytes, n, now);
				}
				this.selector.selectedKeys().clear();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void record(long latencyNanos, boolean duplicate) {
		synchronized (this.lock) {
			this.lastProgressNanos = System.nanoTime();
			if (duplicate) {
				this.duplicates++;
				return;
			}
			this.events++;
			if (this.samples < MAX_SAMPLES) {
				if (this.samples == this.latenciesMicros.length) {
					this.latenciesMicros = Arrays.copyOf(this.latenciesMicros, this.samples * 2);
				}
				this.latenciesMicros[this.samples++] = (int) Math.min(Integer.MAX_VALUE,
						Math.max(0, latencyNanos / 1000));
			}
		}
	}

	@Override
	public void close() {
		this.running = false;
		this.selector.wakeup();
		try {
			this.loop.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		synchronized (this.lock) {
			for (Connection connection : this.connections) {
				try {
					connection.socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
			}
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/** One stream: header state, a partial line, and the last sequence number seen. */
	private static final class Connection {

		final SocketChannel socket;

		volatile boolean open;

		volatile boolean ended;

		long received;

		long lastSeq;

		/** The line being read; grows as long lines come, up to {@link #MAX_LINE}. */
		private byte[] line = new byte[256];

		private int length;

		private int headerNewlines;

		private int headerBytes;

		private int status;

		Connection(SocketChannel socket) {
			this.socket = socket;
		}

		void feed(LoadClient client, byte[] bytes, int n, long now) {
			for (int i = 0; i < n; i++) {
				byte b = bytes[i];
				if (!this.open) {
					// the status is the 10th to 12th byte of the response; headers end at an empty line
					this.headerBytes++;
					if (this.headerBytes >= 10 && this.headerBytes <= 12) {
						this.status = this.status * 10 + (b - '0');
					}
					if (this.headerBytes == 12 && this.status != 200) {
						this.ended = true;
						throw new IllegalStateException("stream refused with HTTP " + this.status);
					}
					if (b == '\n') {
						if (this.headerNewlines == 1) {
							this.open = true;
						}
						this.headerNewlines = 1;
					}
					else if (b != '\r') {
						this.headerNewlines = 0;
					}
					continue;
				}
				if (b == '\n') {
					line(client, now);
					this.length = 0;
				}
				else {
					if (this.length == this.line.length && this.length < MAX_LINE) {
						this.line = Arrays.copyOf(this.line, Math.min(MAX_LINE, 2 * this.length));
					}
					if (this.length < this.line.length) {
						this.line[this.length++] = b;
					}
				}
			}
		}

		private void line(LoadClient client, long now) {
			if (this.length < 6 || this.line[0] != 'd' || this.line[1] != 'a' || this.line[4] != ':') {
				return;
			}
			// "data:" then one optional space (Spring MVC and WebFlux write none, sse-boot writes one)
			int pos = (this.line[5] == ' ') ? 6 : 5;
			long seq = 0;
			while (pos < this.length && this.line[pos] != ' ') {
				seq = seq * 10 + (this.line[pos++] - '0');
			}
			pos++;
			long due = 0;
			while (pos < this.length && this.line[pos] != ' ') {
				due = due * 10 + (this.line[pos++] - '0');
			}
			boolean duplicate = seq <= this.lastSeq;
			if (!duplicate) {
				this.lastSeq = seq;
				this.received++;
			}
			client.record(now - due, duplicate);
		}

	}

}

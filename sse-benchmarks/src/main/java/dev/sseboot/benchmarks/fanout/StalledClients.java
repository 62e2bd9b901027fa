package dev.sseboot.benchmarks.fanout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Connections to 127.0.0.1 that send their request and never read a byte, with a small receive window: a phone on
 * a bad network, or a tab the browser froze. Whether the server has closed one is probed without reading (a write
 * to a socket the server closed is answered with a reset), so a server that waits for the client to read cannot
 * pass the probe.
 */
final class StalledClients implements AutoCloseable {

	private static final byte[] PROBE = "\r\n".getBytes(StandardCharsets.US_ASCII);

	private final List<SocketChannel> sockets = new ArrayList<>();

	private StalledClients() {
	}

	static StalledClients open(int port, String path, int count) throws IOException {
		StalledClients clients = new StalledClients();
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < count; i++) {
			SocketChannel socket = SocketChannel.open();
			socket.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			socket.write(ByteBuffer.wrap(request));
			socket.configureBlocking(false);
			clients.sockets.add(socket);
		}
		return clients;
	}

	/** How many the server has closed: two probes each, the reset of the first failing the second. */
	int closedByServer() {
		boolean[] closed = new boolean[this.sockets.size()];
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < closed.length; i++) {
				if (!closed[i]) {
					try {
						this.sockets.get(i).write(ByteBuffer.wrap(PROBE));
					}
					catch (IOException ex) {
						closed[i] = true;
					}
				}
			}
			LockSupport.parkNanos(100_000_000L);
		}
		int count = 0;
		for (boolean c : closed) {
			count += c ? 1 : 0;
		}
		return count;
	}

	int size() {
		return this.sockets.size();
	}

	@Override
	public void close() {
		for (SocketChannel socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}

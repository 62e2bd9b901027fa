package dev.sseboot.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that records every call, fails on demand, and records violations of the transport contract
 * (overlapping calls, calls after close) instead of hiding them.
 */
class RecordingTransport implements SseTransport {

	final List<byte[]> writes = new CopyOnWriteArrayList<>();

	final List<String> writerThreads = new CopyOnWriteArrayList<>();

	final List<String> violations = new CopyOnWriteArrayList<>();

	final AtomicInteger flushes = new AtomicInteger();

	final AtomicInteger closes = new AtomicInteger();

	private final AtomicInteger inside = new AtomicInteger();

	volatile boolean failWrites;

	private final ByteArrayOutputStream all = new ByteArrayOutputStream();

	@Override
	public void write(byte[] bytes) throws IOException {
		enter("write");
		try {
			if (this.failWrites) {
				throw new IOException("Broken pipe");
			}
			this.writes.add(bytes.clone());
			this.writerThreads.add(Thread.currentThread().getName());
			synchronized (this.all) {
				this.all.write(bytes);
			}
		}
		finally {
			this.inside.decrementAndGet();
		}
	}

	@Override
	public void flush() throws IOException {
		enter("flush");
		try {
			if (this.failWrites) {
				throw new IOException("Broken pipe");
			}
			this.flushes.incrementAndGet();
		}
		finally {
			this.inside.decrementAndGet();
		}
	}

	@Override
	public void close() {
		enter("close");
		this.inside.decrementAndGet();
		this.closes.incrementAndGet();
	}

	private void enter(String call) {
		if (this.inside.incrementAndGet() != 1) {
			this.violations.add(call + " overlapped another call");
		}
		if (this.closes.get() > 0) {
			this.violations.add(call + " after close");
		}
	}

	String text() {
		synchronized (this.all) {
			return this.all.toString(StandardCharsets.UTF_8);
		}
	}

}

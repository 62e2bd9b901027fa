package dev.sseboot.system;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client saw, in the order it happened, over the whole run: opens, errors (with the client's state after
 * it), events and {@code sse-reset}s. Node's EventSources and sse-core's SseClients report into the same form.
 */
final class ClientLog {

	/** An open of the stream. */
	static final char OPEN = 'o';

	/** An error: the connection failed or ended; {@link Entry#state()} tells whether the client gave up. */
	static final char ERROR = 'x';

	/** An event of the topic: data {@code <seq>:<sent at>}. */
	static final char EVENT = 'e';

	/** An {@code sse-reset}: the client missed events it cannot get back, and is told so. */
	static final char RESET = 'r';

	/** The state an EventSource is in when it gave up for good. */
	static final int CLOSED = 2;

	record Entry(char kind, long at, String data, String id, int state) {

		int seq() {
			int colon = this.data.indexOf(':');
			return Integer.parseInt((colon < 0) ? this.data : this.data.substring(0, colon));
		}

		long sentAt() {
			String[] parts = this.data.split(":", 3);
			return Long.parseLong(parts[1]);
		}

	}

	final String name;

	final String topic;

	final List<Entry> entries = new ArrayList<>();

	/** The client's readyState at the last report (1 open, 0 connecting, 2 closed). */
	volatile int state;

	ClientLog(String name, String topic) {
		this.name = name;
		this.topic = topic;
	}

	synchronized void add(Entry entry) {
		this.entries.add(entry);
	}

	synchronized List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	/** The seq of the newest event received; -1 before the first. */
	synchronized int lastSeq() {
		for (int i = this.entries.size() - 1; i >= 0; i--) {
			if (this.entries.get(i).kind() == EVENT) {
				return this.entries.get(i).seq();
			}
		}
		return -1;
	}

	/** The entries in {@code [from, to)}. */
	synchronized List<Entry> between(long from, long to) {
		List<Entry> window = new ArrayList<>();
		for (Entry entry : this.entries) {
			if (entry.at() >= from && entry.at() < to) {
				window.add(entry);
			}
		}
		return window;
	}

	@Override
	public String toString() {
		return this.name + " (" + this.topic + ")";
	}

}

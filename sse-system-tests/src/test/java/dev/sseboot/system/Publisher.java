package dev.sseboot.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes at a steady rate, round robin over its topics, through the proxy ({@code POST /topics/{topic}}), one
 * request at a time so that publish order is seq order, and records what each publish was answered: the event's id,
 * or the failure the publisher saw. Event data is {@code <seq>:<sent at, epoch ms>}, padded when asked.
 */
final class Publisher implements AutoCloseable {

	/** One publish: its id when it returned one, else the status (or -1) and the error the publisher saw. */
	record Published(int seq, String topic, long sentAt, long doneAt, String id, int status, String error) {

		boolean succeeded() {
			return this.id != null;
		}

	}

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private final List<String> topics;

	private final long periodNanos;

	private final String padding;

	final List<Published> published = new CopyOnWriteArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	Publisher(String base, List<String> topics, int perSecond, int padding) {
		this.base = base;
		this.topics = topics;
		this.periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
		this.padding = (padding > 0) ? ":" + "x".repeat(padding) : "";
		this.thread = new Thread(this::run, "publisher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		long next = System.nanoTime();
		for (int seq = 0; this.running; seq++) {
			LockSupport.parkNanos(next - System.nanoTime());
			next += this.periodNanos;
			String topic = this.topics.get(seq % this.topics.size());
			this.published.add(publish(seq, topic));
		}
	}

	private Published publish(int seq, String topic) {
		long sentAt = System.currentTimeMillis();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/topics/" + topic))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(seq + ":" + sentAt + this.padding))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			long doneAt = System.currentTimeMillis();
			if (response.statusCode() == 200) {
				return new Published(seq, topic, sentAt, doneAt, response.body().trim(), 200, null);
			}
			return new Published(seq, topic, sentAt, doneAt, null, response.statusCode(), response.body().trim());
		}
		catch (IOException ex) {
			return new Published(seq, topic, sentAt, System.currentTimeMillis(), null, -1, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
			return new Published(seq, topic, sentAt, System.currentTimeMillis(), null, -1, ex.toString());
		}
	}

	/** The newest publish that returned an id, of each topic. */
	Published lastSucceeded(String topic) {
		for (int i = this.published.size() - 1; i >= 0; i--) {
			Published p = this.published.get(i);
			if (p.topic().equals(topic) && p.succeeded()) {
				return p;
			}
		}
		return null;
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join(TimeUnit.SECONDS.toMillis(15));
	}

}

package dev.sseboot.core.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * One connection attempt of an {@link SseClient}: its response check, body subscription and read-timeout watchdog.
 * It ends once (dropped, or cancelled by its client) and then gives back everything it holds; what it read before
 * goes to its client, which decides whether to reconnect.
 */
final class Attempt implements Flow.Subscriber<List<ByteBuffer>> {

	private final SseClient client;

	private final Duration readTimeout;

	private final AtomicBoolean ended = new AtomicBoolean();

	private final SseParser parser;

	private volatile @Nullable CompletableFuture<HttpResponse<Void>> future;

	private volatile Flow.@Nullable Subscription subscription;

	private volatile long lastActivity = System.nanoTime();

	/** Guarded by this. */
	private @Nullable ScheduledFuture<?> watchdog;

	Attempt(SseClient client, String lastEventId, int maxEventSize, Duration readTimeout) {
		this.client = client;
		this.readTimeout = readTimeout;
		this.parser = new SseParser(new SseParser.Handler() {

			@Override
			public void onEvent(SseMessage message) {
				try {
					client.received(Attempt.this, message);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					dropped("interrupted");
				}
			}

			@Override
			public void onRetry(long millis) {
				client.retry(Duration.ofMillis(millis));
			}

		}, lastEventId, maxEventSize);
	}

	/**
	 * Why a response with {@code status} and {@code contentType} ends the client for good, as a browser's
	 * {@code EventSource} does; {@code null} when it is a stream to read.
	 */
	static @Nullable String refusal(int status, String contentType) {
		if (status == 204) {
			return "204 No Content: the server asked the client to stop";
		}
		if (status != 200) {
			return "HTTP " + status + ": not 200, so the client stops as a browser does";
		}
		if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
			return "Content-Type \"" + contentType + "\" is not text/event-stream, so the client stops";
		}
		return null;
	}

	/** Sends {@code request}; a request that fails drops this attempt. */
	void send(HttpClient http, HttpRequest request) {
		CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(request, this::handle);
		this.future = sent;
		sent.whenComplete((response, error) -> {
			if (error != null) {
				dropped("request failed: " + SseClient.rootMessage(error));
			}
		});
		if (this.ended.get()) {
			// cancelled before the future was set: release() could not cancel it
			sent.cancel(true);
		}
	}

	boolean isEnded() {
		return this.ended.get();
	}

	private HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
		if (this.ended.get()) {
			// cancelled, or superseded by a reconnect: this response is no one's any more
			return HttpResponse.BodySubscribers.replacing(null);
		}
		String refusal = refusal(info.statusCode(), info.headers().firstValue("Content-Type").orElse(""));
		if (refusal != null) {
			this.client.stop(refusal);
			return HttpResponse.BodySubscribers.replacing(null);
		}
		return this.client.opened(this) ? HttpResponse.BodySubscribers.fromSubscriber(this)
				: HttpResponse.BodySubscribers.replacing(null);
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		this.subscription = subscription;
		if (!this.readTimeout.isZero()) {
			long period = Math.max(this.readTimeout.toMillis() / 4, 10);
			synchronized (this) {
				// under the monitor release() takes, so a racing cancel either sees it or prevents it
				if (!this.ended.get()) {
					this.watchdog = SseClient.TIMERS.scheduleAtFixedRate(this::checkIdle, period, period,
							TimeUnit.MILLISECONDS);
				}
			}
		}
		if (this.ended.get()) {
			subscription.cancel();
			return;
		}
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> buffers) {
		this.lastActivity = System.nanoTime();
		try {
			for (ByteBuffer buffer : buffers) {
				this.parser.feed(buffer);
			}
		}
		catch (SseParseException ex) {
			dropped(Objects.toString(ex.getMessage(), "the stream could not be parsed"));
			return;
		}
		Flow.Subscription current = this.subscription;
		if (current != null && !this.ended.get()) {
			current.request(1);
		}
	}

	@Override
	public void onError(Throwable error) {
		dropped("connection failed: " + SseClient.rootMessage(error));
	}

	@Override
	public void onComplete() {
		dropped("the server ended the stream");
	}

	private void checkIdle() {
		long idle = System.nanoTime() - this.lastActivity;
		if (idle > this.readTimeout.toNanos()) {
			dropped("nothing read for " + this.readTimeout.toMillis() + " ms (read timeout)");
		}
	}

	/** The connection is gone: ends this attempt once, and lets the client reconnect. */
	void dropped(String why) {
		if (this.ended.compareAndSet(false, true)) {
			release();
			this.client.reconnectLater(this, why);
		}
	}

	/** Ends this attempt for its client, which stopped or moved on. */
	void cancel() {
		this.ended.set(true);
		release();
	}

	private void release() {
		synchronized (this) {
			if (this.watchdog != null) {
				this.watchdog.cancel(false);
			}
		}
		Flow.Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
		CompletableFuture<HttpResponse<Void>> pending = this.future;
		if (pending != null) {
			pending.cancel(true);
		}
	}

}

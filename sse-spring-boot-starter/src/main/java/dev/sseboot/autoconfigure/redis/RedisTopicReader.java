package dev.sseboot.autoconfigure.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The thread that reads the Redis streams of a {@link RedisBroadcaster}'s topics and fans them out locally: started
 * with the context before the web server takes requests, stopped after it has stopped. It polls every 5 ms while
 * topics are read, pings every 2 s while none is, and backs off (100 ms doubling to 5 s) while Redis is unreachable or
 * a read fails otherwise; whatever it throws, an {@link Error} too, is logged and reported DOWN, and it reads on.
 */
final class RedisTopicReader implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisTopicReader.class);

	private static final long PING_NANOS = Duration.ofSeconds(2).toNanos();

	private final RedisBroadcaster broadcaster;

	private volatile @Nullable Thread thread;

	RedisTopicReader(RedisBroadcaster broadcaster) {
		this.broadcaster = broadcaster;
	}

	@Override
	public synchronized void start() {
		if (this.thread == null) {
			Thread reader = new Thread(this::run, "sse-redis-reader");
			reader.setDaemon(true);
			this.thread = reader;
			reader.start();
		}
	}

	@Override
	public synchronized void stop() {
		Thread reader = this.thread;
		this.thread = null;
		if (reader != null) {
			reader.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/** Before the web server starts (and after it stops), so no stream is served without its reader. */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
	}

	private void run() {
		long backoffMillis = 100;
		long lastPing = 0;
		Thread self = Thread.currentThread();
		while (this.thread == self) {
			try {
				int read = this.broadcaster.poll();
				backoffMillis = 100;
				if (read < 0) {
					if (System.nanoTime() - lastPing > PING_NANOS) {
						this.broadcaster.ping();
						lastPing = System.nanoTime();
					}
					pause(50);
				}
				else if (read == 0) {
					pause(5);
				}
			}
			catch (Throwable ex) {
				if (this.thread != self) {
					return;
				}
				if (!(ex instanceof RuntimeException)) {
					// not Redis going away but a fault of the JVM or of ours: say so loudly, and read on
					logger.error("The SSE Redis reader failed; it retries with backoff", ex);
				}
				this.broadcaster.markDown(ex);
				pause(backoffMillis);
				backoffMillis = Math.min(backoffMillis * 2, 5_000);
			}
		}
	}

	private static void pause(long millis) {
		LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
	}

}

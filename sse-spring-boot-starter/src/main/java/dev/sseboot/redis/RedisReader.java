package dev.sseboot.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A thread that takes turns reading from Redis: the {@link RedisReaderTurn turns} reading this instance's topics,
 * and the runs' ({@link RedisRunSharing}). Started
 * with the context before the web server takes requests, stopped after it has stopped. It holds a connection of its
 * own, on which it waits for wake-ups with {@code XREAD BLOCK} (so an idle instance sends one command per
 * {@code block} and no event waits for a poll), and backs off (100 ms doubling to 5 s) while Redis is unreachable or
 * a read fails otherwise; whatever it throws, an {@link Error} too, is logged and reported DOWN, and it reads on
 * from a new connection.
 */
final class RedisReader implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisReader.class);

	private final String name;

	private final Runnable beforeStart;

	private final Turn turn;

	private final Consumer<Throwable> failed;

	private final RedisConnectionFactory connectionFactory;

	private final Duration block;

	private volatile @Nullable Thread thread;

	/**
	 * @param block how long one wait for wake-ups lasts: shorter than the client's command timeout
	 *     ({@code spring.data.redis.timeout}), which applies to it as to any command
	 */
	RedisReader(RedisReaderTurn turn, RedisHealth health, RedisConnectionFactory connectionFactory,
			Duration block) {
		this("sse-redis-reader", turn::sweepNext, turn::take, health::markDown, connectionFactory, block);
	}

	/**
	 * @param name the thread's
	 * @param beforeStart run before the thread starts
	 * @param turn one turn: at most one wait of {@code block} on the connection, then the work it found
	 * @param failed told what a turn threw, before the backoff
	 */
	RedisReader(String name, Runnable beforeStart, Turn turn, Consumer<Throwable> failed,
			RedisConnectionFactory connectionFactory, Duration block) {
		this.name = name;
		this.beforeStart = beforeStart;
		this.turn = turn;
		this.failed = failed;
		this.connectionFactory = connectionFactory;
		this.block = block;
	}

	@Override
	public synchronized void start() {
		if (this.thread == null) {
			this.beforeStart.run();
			Thread reader = new Thread(this::run, this.name);
			reader.setDaemon(true);
			this.thread = reader;
			reader.start();
		}
	}

	/** Stops the reader and waits for it, a little longer than one wait for wake-ups, to close its connection. */
	@Override
	public void stop() {
		Thread reader;
		synchronized (this) {
			reader = this.thread;
			this.thread = null;
		}
		if (reader != null) {
			reader.interrupt();
			try {
				reader.join(this.block.toMillis() + 1_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
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
		Thread self = Thread.currentThread();
		RedisConnection connection = null;
		try {
			while (this.thread == self) {
				try {
					if (connection == null) {
						connection = this.connectionFactory.getConnection();
					}
					this.turn.take(connection, this.block);
					backoffMillis = 100;
				}
				catch (Throwable ex) {
					if (this.thread != self) {
						return;
					}
					if (!(ex instanceof RuntimeException)) {
						// not Redis going away but a fault of the JVM or of ours: say so loudly, and read on
						logger.error("The SSE Redis reader " + this.name + " failed; it retries with backoff", ex);
					}
					this.failed.accept(ex);
					close(connection);
					connection = null;
					LockSupport.parkNanos(Duration.ofMillis(backoffMillis).toNanos());
					backoffMillis = Math.min(backoffMillis * 2, 5_000);
				}
			}
		}
		finally {
			close(connection);
		}
	}

	/** One turn of a reader. */
	@FunctionalInterface
	interface Turn {

		void take(RedisConnection connection, Duration block);

	}

	private static void close(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the SSE Redis reader's connection", ex);
			}
		}
	}

}

package dev.sseboot.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseRun;
import dev.sseboot.core.SseRunSharing;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Runs shared through Redis ({@link RedisRunStore} has the keys). The instance that runs a run queues its entries,
 * and one writer thread appends them in batches (one script per run per batch, then one wake-up), so a publisher
 * never waits for Redis. One reader thread, on a connection of its own, waits for wake-ups: it copies new entries
 * into the runs followed here, stops the runs asked to stop that run here, and notes clients attached elsewhere;
 * every {@code lease / 3} it renews this instance's leases (a lapsed one ends its run as lost), catches up every
 * followed run (a wake-up lost costs that long at most), tells the owners of followed runs that a client is attached
 * here, and ends a followed run whose lease lapsed as lost, with an {@code error} event.
 */
final class RedisRunSharing implements SseRunSharing {

	private static final Log logger = LogFactory.getLog(RedisRunSharing.class);

	private final RedisRunStore store;

	private final RedisConnectionFactory connections;

	private final Duration lease;

	private final Duration block;

	private final long periodNanos;

	/** Runs that run here, still going (their leases are renewed). */
	private final Map<String, Boolean> owned = new ConcurrentHashMap<>();

	/** When a client was last said to be attached elsewhere, by run. */
	private final Map<String, Long> attachedElsewhere = new ConcurrentHashMap<>();

	private final Map<String, Followed> followed = new ConcurrentHashMap<>();

	private volatile @Nullable Host host;

	private final RedisRunWriter writer;

	private final RedisReader reader;

	/** The reader's position in the wake-ups, and when its next housekeeping is due: by the reader thread only. */
	private @Nullable String after;

	private long due = System.nanoTime();

	RedisRunSharing(RedisRunStore store, RedisConnectionFactory connections, Duration lease, Duration block) {
		this.store = store;
		this.connections = connections;
		this.lease = lease;
		this.block = block;
		this.periodNanos = Math.max(lease.dividedBy(3).toNanos(), 1);
		this.writer = new RedisRunWriter(store, this.periodNanos, this::ended);
		this.reader = new RedisReader("sse-redis-runs-reader", () -> {
		}, this::turn, (ex) -> logger.debug("The SSE runs reader failed; it retries with backoff", ex), connections,
				block);
	}

	/** A run's end was written: its lease is gone, nothing to renew or note for it any more. */
	private void ended(String runId) {
		this.owned.remove(runId);
		this.attachedElsewhere.remove(runId);
	}

	@Override
	public void open(Host host) {
		this.host = host;
	}

	@Override
	public SseRunSharing.Events share(String runId) {
		this.store.share(runId);
		this.owned.put(runId, Boolean.TRUE);
		return new SseRunSharing.Events() {

			/** Set once an entry could not be queued: nothing more is written (calls come under the run's lock). */
			private boolean unshared;

			@Override
			public void append(long sequence, Object item) {
				queue(RedisRunSharing.this.store.event(sequence, item), false);
			}

			@Override
			public void end(SseRun.Outcome outcome, @Nullable SseEvent last) {
				queue(RedisRunSharing.this.store.end(outcome, last), true);
			}

			private void queue(List<String> entry, boolean ends) {
				if (this.unshared) {
					return;
				}
				if (!RedisRunSharing.this.writer.queue(runId, entry, ends)) {
					// no entry after a gap: the lease is no longer renewed, so clients elsewhere get the run as lost
					this.unshared = true;
					RedisRunSharing.this.owned.remove(runId);
					logger.warn("SSE run " + runId + ": " + RedisRunWriter.MAX_QUEUED + " entries wait for Redis; "
							+ "the run goes on here but is no longer shared (clients elsewhere get it as lost)");
				}
			}

		};
	}

	@Override
	public boolean exists(String runId) {
		return this.store.exists(runId);
	}

	@Override
	public Follow follow(String runId, SseRunSharing.Events into, BooleanSupplier attached) {
		Followed follow = new Followed(runId, into, attached);
		this.followed.put(runId, follow);
		catchUp(follow);
		if (!follow.ended && !this.store.leased(runId)) {
			lost(follow);
		}
		return () -> this.followed.remove(runId, follow);
	}

	@Override
	public boolean stop(String runId) {
		if (!this.store.leased(runId)) {
			return false;
		}
		this.store.wake(RedisRunStore.WAKE_STOP, runId);
		return true;
	}

	@Override
	public boolean attachedElsewhere(String runId) {
		Long seen = this.attachedElsewhere.get(runId);
		return seen != null && System.nanoTime() - seen < 3 * this.periodNanos;
	}

	/** One turn of the reader: wake-ups, and every period the leases, catch-ups and attachments. */
	private void turn(RedisConnection connection, Duration wait) {
		String from = this.after;
		if (from == null) {
			from = this.store.lastWake();
			this.after = from;
		}
		for (ByteRecord wake : this.store.wakes(connection, from, wait)) {
			this.after = Objects.requireNonNull(wake.getId().getValue());
			woken(wake);
		}
		if (System.nanoTime() - this.due >= 0) {
			this.due = System.nanoTime() + this.periodNanos;
			housekeeping();
		}
	}

	private void woken(ByteRecord wake) {
		Map<String, String> fields = new LinkedHashMap<>();
		wake.getValue().forEach((key, value) -> fields.put(new String(key, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		String events = fields.get(RedisRunStore.WAKE_EVENTS);
		String stop = fields.get(RedisRunStore.WAKE_STOP);
		String attached = fields.get(RedisRunStore.WAKE_ATTACHED);
		if (events != null) {
			Followed follow = this.followed.get(events);
			if (follow != null) {
				catchUp(follow);
			}
		}
		else if (stop != null && this.owned.containsKey(stop)) {
			Host current = this.host;
			if (current != null) {
				current.stop(stop, SseRun.Outcome.STOPPED);
			}
		}
		else if (attached != null && this.owned.containsKey(attached)
				&& !this.store.instance().equals(fields.get(RedisRunStore.WAKE_INSTANCE))) {
			this.attachedElsewhere.put(attached, System.nanoTime());
		}
	}

	private void housekeeping() {
		for (String runId : this.owned.keySet()) {
			if (!this.store.renew(runId) && this.owned.remove(runId) != null) {
				logger.warn("SSE run " + runId + ": its lease in Redis lapsed; the run is lost");
				Host current = this.host;
				if (current != null) {
					current.stop(runId, SseRun.Outcome.LOST);
				}
			}
		}
		for (Followed follow : this.followed.values()) {
			catchUp(follow);
			if (follow.ended) {
				continue;
			}
			if (!this.store.leased(follow.runId)) {
				lost(follow);
			}
			else if (follow.attached.getAsBoolean()) {
				this.store.wake(RedisRunStore.WAKE_ATTACHED, follow.runId);
			}
		}
	}

	/** Copies the entries after the follow's position into its run. */
	private void catchUp(Followed follow) {
		synchronized (follow) {
			List<MapRecord<String, Object, Object>> page;
			do {
				page = this.store.after(follow.runId, follow.position);
				for (MapRecord<String, Object, Object> record : page) {
					RedisRunStore.Entry entry = RedisRunStore.read(record);
					follow.position = entry.id();
					if (follow.ended) {
						continue;
					}
					if (entry.outcome() != null) {
						follow.ended = true;
						follow.into.end(entry.outcome(), (SseEvent) entry.item());
					}
					else if (entry.sequence() >= 0 && entry.item() != null) {
						follow.into.append(entry.sequence(), entry.item());
					}
				}
			}
			while (!page.isEmpty());
		}
	}

	/** The lease of a followed run lapsed (its instance is gone): what is stored, then the end as lost. */
	private void lost(Followed follow) {
		catchUp(follow);
		synchronized (follow) {
			if (!follow.ended) {
				follow.ended = true;
				follow.into.end(SseRun.Outcome.LOST, SseEvent.builder()
					.name("error")
					.data("The instance that ran this answer stopped before it ended")
					.build());
			}
		}
	}

	/**
	 * Its two threads as a lifecycle of their own, started before the web server and stopped after it (as the topics'
	 * reader). Not this object: it is the application's {@link SseRunSharing} bean, and a lifecycle bean that is the
	 * same object would be a second one, which {@code SseRuns} could not choose between.
	 */
	SmartLifecycle lifecycle() {
		return new SmartLifecycle() {

			@Override
			public void start() {
				RedisRunSharing.this.reader.start();
				RedisRunSharing.this.writer.start();
			}

			/** Stops both threads, the writer once what is queued is written (for a lease at most). */
			@Override
			public void stop() {
				RedisRunSharing.this.reader.stop();
				RedisRunSharing.this.writer.stop(RedisRunSharing.this.lease, RedisRunSharing.this.block);
			}

			@Override
			public boolean isRunning() {
				return RedisRunSharing.this.reader.isRunning();
			}

			@Override
			public int getPhase() {
				return RedisRunSharing.this.reader.getPhase();
			}

		};
	}

	/** A run followed here: where its copy is fed, and the last entry copied. */
	private static final class Followed {

		final String runId;

		final SseRunSharing.Events into;

		final BooleanSupplier attached;

		String position = "0-0";

		volatile boolean ended;

		Followed(String runId, SseRunSharing.Events into, BooleanSupplier attached) {
			this.runId = runId;
			this.into = into;
			this.attached = attached;
		}

	}

}

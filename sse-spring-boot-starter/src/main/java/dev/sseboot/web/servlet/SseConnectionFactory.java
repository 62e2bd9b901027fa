package dev.sseboot.web.servlet;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.DefaultEventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.SseExecutors;
import dev.sseboot.web.SseEndpointDefinition;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;


/**
 * Creates the channel and emitter of each {@code @SseEndpoint} request, wired to the shared heartbeat, the drain
 * executor and the registry. Drains run on a pool sized for the CPU (see {@link SseExecutors#create()}), whatever
 * {@code spring.threads.virtual.enabled} says: no drain waits on a client, so virtual threads would not help them.
 */
final class SseConnectionFactory implements AutoCloseable {

	/** Deadlines further away than this are none: beyond any stream's life, and any timer's range in nanoseconds. */
	static final Duration FOREVER = Duration.ofDays(365 * 100);

	private final SseEncoder encoder;

	private final Heartbeat heartbeat;

	private final SseConnections registry;

	private final SseObservers observers;

	private final ExecutorService drains;

	private final byte @Nullable [] preamble;

	private final @Nullable Duration maxLifetime;

	SseConnectionFactory(SseEncoder encoder, Heartbeat heartbeat, SseConnections registry, SseObservers observers,
			@Nullable Duration retry, @Nullable Duration maxLifetime) {
		this.observers = observers;
		this.maxLifetime = maxLifetime;
		this.encoder = encoder;
		this.heartbeat = heartbeat;
		this.registry = registry;
		this.drains = SseExecutors.create();
		this.preamble = (retry != null) ? encoder.encode(SseEvent.builder().retry(retry).build()) : null;
	}

	SseConnection create(SseEndpointDefinition endpoint, HttpServletRequest request, @Nullable String lastEventId,
			String client) {
		Duration timeout = endpoint.timeout();
		// 0 is "no timeout" for the servlet container; without it Spring falls back to the container's 30 s default
		StreamingEmitter emitter = new StreamingEmitter((timeout != null) ? timeout.toMillis() : 0L);
		String principal = (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
		SseConnection connection = new SseConnection(endpoint, emitter, this.registry, this.observers, lastEventId,
				principal, client);
		EmitterTransport transport = new EmitterTransport(emitter, ConnectionAbort.of(request));
		DefaultEventChannel channel = DefaultEventChannel.builder(transport)
			.id(UUID.randomUUID().toString())
			.lastEventId(lastEventId)
			.settings(endpoint.channel())
			.encoder(this.encoder)
			.executor(this.drains)
			.listener(connection)
			.preamble(this.preamble)
			.heartbeat(this.heartbeat, endpoint.heartbeat())
			.build();
		connection.bind(channel);
		emitter.onTimeout(() -> {
			if (transport.timedOut()) {
				return;
			}
			// ended now, inside the container's timeout callback, so that it ends the request normally
			transport.timeout(() -> channel.close(CloseReason.TIMEOUT));
		});
		if (this.maxLifetime != null) {
			closeAtEndOfLife(channel, this.maxLifetime);
		}
		emitter.onError((error) -> {
			transport.released();
			channel.close(CloseReason.CLIENT_GONE);
		});
		emitter.onCompletion(() -> {
			transport.released();
			channel.close(CloseReason.CLIENT_GONE);
		});
		return connection;
	}

	/**
	 * {@code sse.max-lifetime}: closes {@code channel} at a random moment between 90% and 100% of {@code lifetime},
	 * with {@code retry:} between 1 and 5 s, so that clients reconnect (elsewhere, after a load balancer rebalanced)
	 * spread out rather than all at once.
	 */
	static void closeAtEndOfLife(DefaultEventChannel channel, Duration lifetime) {
		long nanos = lifetime.toNanos();
		closeAfter(channel, nanos - (long) (ThreadLocalRandom.current().nextDouble() * (nanos / 10)),
				CloseReason.COMPLETED);
	}

	/**
	 * Closes {@code channel} with {@code reason} at {@code deadline} (an authorization's end), after {@code retry:}
	 * between 1 and 5 s, so that clients whose tokens expire together do not all come back at once. A deadline
	 * beyond {@link #FOREVER} (a token that never expires, {@link Instant#MAX}) is no deadline.
	 */
	static void closeAt(DefaultEventChannel channel, Instant deadline, CloseReason reason) {
		Duration left = Duration.between(Instant.now(), deadline);
		if (left.compareTo(FOREVER) < 0) {
			closeAfter(channel, Math.max(0, left.toNanos()), reason);
		}
	}

	private static void closeAfter(DefaultEventChannel channel, long nanos, CloseReason reason) {
		Duration retry = Duration.ofMillis(1_000 + ThreadLocalRandom.current().nextLong(4_001));
		ScheduledFuture<?> end = SseExecutors.timer()
			.schedule(() -> channel.end(reason, retry), nanos, TimeUnit.NANOSECONDS);
		channel.onClose((closed) -> end.cancel(false));
	}

	/** Shuts the drain pool down. */
	@Override
	public void close() {
		this.drains.shutdown();
	}

}

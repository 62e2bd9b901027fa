package dev.sseboot.web.servlet;

import java.time.Duration;

import dev.sseboot.core.CloseReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Completes every open stream (reason {@code SHUTDOWN}) when the context closes, in the phase just before the web
 * server's graceful shutdown, so that shutdown never waits on streams that would otherwise stay open forever. New
 * streams are refused with 503 from then on. Streams of clients that stopped reading are aborted rather than
 * completed (see {@code EmitterTransport}), so they hold nothing up either.
 */
final class SseShutdown implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SseShutdown.class);

	private static final Duration WAIT = Duration.ofSeconds(1);

	private final SseConnections connections;

	private volatile boolean running;

	SseShutdown(SseConnections connections) {
		this.connections = connections;
	}

	@Override
	public void start() {
		this.connections.setAccepting(true);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		// from here on a new stream gets 503: it would only be closed again at once
		this.connections.setAccepting(false);
		int open = this.connections.size();
		if (open == 0) {
			return;
		}
		int left = this.connections.closeAll(CloseReason.SHUTDOWN, WAIT);
		logger.info("Completed " + (open - left) + " of " + open + " open SSE streams for shutdown"
				+ ((left > 0) ? "; " + left + " still writing" : ""));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
	}

}

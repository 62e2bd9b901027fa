package dev.sseboot.web.servlet;

import java.util.List;

import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseStreamInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Calls the {@link SseDisconnectListener} beans, in order, once per closed stream; one that throws is logged. */
final class SseDisconnectNotifier implements SseConnectionObserver {

	private static final Log logger = LogFactory.getLog(SseDisconnectNotifier.class);

	private final List<SseDisconnectListener> listeners;

	SseDisconnectNotifier(List<SseDisconnectListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void onClosed(SseStreamInfo stream, SseDisconnect disconnect) {
		for (SseDisconnectListener listener : this.listeners) {
			try {
				listener.onDisconnect(disconnect);
			}
			catch (RuntimeException ex) {
				logger.warn("SseDisconnectListener " + listener.getClass().getName() + " failed for " + disconnect, ex);
			}
		}
	}

}

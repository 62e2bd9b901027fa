package dev.sseboot.web.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnectListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Everyone told of what happens to streams, in order: the {@link SseDisconnectListener}s first (through
 * {@link SseDisconnectNotifier}), then the {@link SseConnectionObserver} beans. Each is told once per event; one that
 * throws is logged and does not stop the others.
 */
final class SseObservers {

	private static final Log logger = LogFactory.getLog(SseObservers.class);

	private final List<SseConnectionObserver> observers;

	SseObservers(List<SseDisconnectListener> listeners, List<SseConnectionObserver> observers) {
		List<SseConnectionObserver> all = new ArrayList<>(observers.size() + 1);
		if (!listeners.isEmpty()) {
			all.add(new SseDisconnectNotifier(listeners));
		}
		all.addAll(observers);
		this.observers = List.copyOf(all);
	}

	boolean isEmpty() {
		return this.observers.isEmpty();
	}

	/** Tells every observer, in order, by {@code call}. */
	void tell(Consumer<SseConnectionObserver> call) {
		for (SseConnectionObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("SSE connection observer " + observer + " failed", ex);
			}
		}
	}

}

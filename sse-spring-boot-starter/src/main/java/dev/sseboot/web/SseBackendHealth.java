package dev.sseboot.web;

import java.util.Map;

/**
 * A back-end that sse-boot depends on (such as Redis for multi-node topics) reporting whether it works. Beans of this
 * type feed the {@code sse} health indicator: one that is down makes it DOWN.
 */
@FunctionalInterface
public interface SseBackendHealth {

	/** The back-end's state now; must be quick (report what was last seen rather than probing). */
	Status check();

	/**
	 * A back-end's state.
	 *
	 * @param name the back-end, such as {@code redis}
	 * @param up whether it works
	 * @param details what an operator needs to know (never secrets)
	 */
	record Status(String name, boolean up, Map<String, Object> details) {

	}

}

package dev.sseboot.autoconfigure.actuate;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code sse} actuator endpoint, after Boot's {@code show-details} pattern: topic names are often
 * user ids, so they are listed only when allowed; their counts always are.
 */
@ConfigurationProperties("management.endpoint.sse")
public class SseActuatorProperties {

	/**
	 * When to list topic names in the sse endpoint: never, when-authorized or always. Counts of topics, subscribers
	 * and held events are always shown.
	 */
	private Show showTopics = Show.NEVER;

	/**
	 * Roles allowed to see topic names when show-topics is when-authorized. When empty, any authenticated user is.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public Show getShowTopics() {
		return this.showTopics;
	}

	public void setShowTopics(Show showTopics) {
		this.showTopics = showTopics;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}

package dev.sseboot.web.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.ClassUtils;

/**
 * Ends one request's connection at once, discarding bytes the client never took. The Servlet API has no such call:
 * completing an async request whose non-blocking write is still pending makes a container wait for the client until
 * its own timeout. Where a container has a way, it is used:
 * <ul>
 * <li>Tomcat: see {@link TomcatConnectionAbort}.</li>
 * <li>Jetty: see {@link JettyConnectionAbort}.</li>
 * </ul>
 * Elsewhere {@link #abort(IOException)} answers {@code false} and the caller completes the request normally.
 */
@FunctionalInterface
interface ConnectionAbort {

	/** Never aborts. */
	ConnectionAbort NONE = (reason) -> false;

	/**
	 * Starts aborting the connection; {@code false} when this container offers no way, so nothing happened. An abort
	 * may finish later, on a container thread, through {@link #onTimeout()}; the caller must not complete the
	 * request itself after {@code true}.
	 */
	boolean abort(IOException reason);

	/**
	 * Called from the request's timeout callback, on a container thread: {@code true} when the timeout was this
	 * abort's doing and the abort is now set, so the caller completes the request; {@code false} for a real timeout.
	 */
	default boolean onTimeout() {
		return false;
	}

	/**
	 * Ends the connection at once from the request's own timeout callback, on a container thread; returns whether the
	 * caller still completes the request (Tomcat: yes, the error set here makes the completion close the socket;
	 * Jetty: no, its abort ends the request; nowhere to abort: yes, gracefully).
	 */
	default boolean abortInTimeout(IOException reason) {
		return !abort(reason);
	}

	/** How to abort {@code request}'s connection on the container that runs it. */
	static ConnectionAbort of(HttpServletRequest request) {
		ConnectionAbort abort = Containers.TOMCAT ? TomcatConnectionAbort.of(request) : null;
		if (abort == null && Containers.JETTY) {
			abort = JettyConnectionAbort.of(request);
		}
		return (abort != null) ? abort : NONE;
	}

	/** Which containers are on the class path, checked once. */
	final class Containers {

		static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.connector.RequestFacade",
				ConnectionAbort.class.getClassLoader());

		static final boolean JETTY = ClassUtils.isPresent("org.eclipse.jetty.ee11.servlet.ServletContextRequest",
				ConnectionAbort.class.getClassLoader());

		private Containers() {
		}

	}

}

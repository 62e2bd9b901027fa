package dev.sseboot.web.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee11.servlet.ServletChannel;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's way to end a connection at once: aborting the request's servlet channel fails the response, and Jetty
 * then closes an HTTP/1.1 connection (or resets an HTTP/2 stream) without flushing what the client never took. A
 * graceful completion would instead leave the connection idle, its kernel buffers full, until the idle timeout.
 * Loaded only when Jetty's ee11 servlet module is on the class path.
 */
final class JettyConnectionAbort implements ConnectionAbort {

	private final ServletContextRequest request;

	private JettyConnectionAbort(ServletContextRequest request) {
		this.request = request;
	}

	/** The abort for {@code request}, or {@code null} when it is not Jetty's. */
	static @Nullable ConnectionAbort of(HttpServletRequest request) {
		try {
			return new JettyConnectionAbort(ServletContextRequest.getServletContextRequest(request));
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	@Override
	public boolean abort(IOException reason) {
		ServletChannel channel = this.request.getServletChannel();
		if (channel == null) {
			return false;
		}
		channel.abort(reason);
		return true;
	}

}

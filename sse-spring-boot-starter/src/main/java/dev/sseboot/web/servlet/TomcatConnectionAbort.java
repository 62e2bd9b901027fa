package dev.sseboot.web.servlet;

import java.io.IOException;
import java.lang.reflect.Field;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Tomcat's way to end a connection at once. Tomcat waits for pending bytes before it completes an async request
 * (until its write timeout), unless the request is in error, and the error must be set on a container thread that
 * holds the connection: set from any other thread, it can race a write callback and leave the async request never
 * completed (which graceful shutdown then waits for). So the abort goes through Tomcat's own async timeout: it
 * shortens the request's timeout, Tomcat times it out on a container thread within a second, and there, in the
 * emitter's timeout callback, {@link #onTimeout()} sets the processor's {@code CLOSE_NOW} error, which Tomcat itself
 * takes on an I/O error: completing then skips the flush and closes the socket. Loaded only when Tomcat is on the
 * class path.
 */
final class TomcatConnectionAbort implements ConnectionAbort {

	private static final Log logger = LogFactory.getLog(TomcatConnectionAbort.class);

	// Tomcat keeps the connector request in a protected field of its facade; Spring's WebFlux adapter reads it too
	private static final @Nullable Field REQUEST = requestField();

	private final HttpServletRequest request;

	private final RequestFacade facade;

	private volatile @Nullable IOException requested;

	private TomcatConnectionAbort(HttpServletRequest request, RequestFacade facade) {
		this.request = request;
		this.facade = facade;
	}

	/** The abort for {@code request}, or {@code null} when it is not Tomcat's. */
	static @Nullable ConnectionAbort of(HttpServletRequest request) {
		ServletRequest unwrapped = request;
		while (unwrapped instanceof ServletRequestWrapper wrapper) {
			unwrapped = wrapper.getRequest();
		}
		return (REQUEST != null && unwrapped instanceof RequestFacade facade)
				? new TomcatConnectionAbort(request, facade) : null;
	}

	@Override
	public boolean abort(IOException reason) {
		if (!this.request.isAsyncStarted()) {
			return false;
		}
		AsyncContext async = this.request.getAsyncContext();
		this.requested = reason;
		// Tomcat checks async timeouts every second, on a container thread that holds the connection
		async.setTimeout(1);
		return true;
	}

	@Override
	public boolean abortInTimeout(IOException reason) {
		// already on the container thread of a timeout: the error is safe to set now, no second timeout needed
		this.requested = reason;
		onTimeout();
		return true;
	}

	@Override
	public boolean onTimeout() {
		IOException reason = this.requested;
		if (reason == null) {
			return false;
		}
		// on the container thread of the timeout: the one place the error is safe to set
		if (REQUEST != null && ReflectionUtils.getField(REQUEST, this.facade) instanceof Request connectorRequest) {
			connectorRequest.getCoyoteRequest().action(ActionCode.CLOSE_NOW, reason);
		}
		return true;
	}

	private static @Nullable Field requestField() {
		Field field = ReflectionUtils.findField(RequestFacade.class, "request", Request.class);
		if (field == null) {
			logger.info("This Tomcat hides its connector request: SSE streams of clients that stopped reading end "
					+ "at Tomcat's write timeout instead of at once");
			return null;
		}
		ReflectionUtils.makeAccessible(field);
		return field;
	}

}

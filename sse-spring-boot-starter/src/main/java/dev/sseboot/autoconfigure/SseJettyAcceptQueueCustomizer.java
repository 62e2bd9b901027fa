package dev.sseboot.autoconfigure;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Jetty leaves the size of its accept queue (the listen backlog) to the JDK, which makes it 50, and Spring Boot has
 * no property for it. SSE clients arrive in bursts: every {@code EventSource} reconnects within its retry after a
 * deploy or a network blip. Past 50 connections waiting to be accepted, Linux drops the handshakes and the clients
 * retry after 1, 3, 7 seconds and more: on this project's benchmark Jetty took 66 s to open 10,000 streams while it
 * used almost no CPU, and Tomcat, whose queue is {@code server.tomcat.accept-count}, took 6 s. So a connector whose
 * queue was left to the default gets {@value #ACCEPT_QUEUE} (Linux caps it at {@code net.core.somaxconn}, 4,096 by
 * default); a size the application set is kept.
 */
final class SseJettyAcceptQueueCustomizer implements WebServerFactoryCustomizer<JettyServletWebServerFactory>,
		Ordered {

	static final int ACCEPT_QUEUE = 1_024;

	@Override
	public void customize(JettyServletWebServerFactory factory) {
		// server customizers run once the connectors exist
		factory.addServerCustomizers((server) -> {
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector && serverConnector.getAcceptQueueSize() <= 0) {
					serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
				}
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

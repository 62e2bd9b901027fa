package dev.sseboot.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;

import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Tomcat accepts at most {@code server.tomcat.max-connections} connections (8,192 by default), fewer than
 * {@code sse.max-connections} (10,000): streams past that limit would wait in the accept queue instead of getting
 * sse-boot's refusal. When the limit was left to its default, it is raised to {@code sse.max-connections} plus
 * {@value #HEADROOM} for ordinary requests; when the application chose it (the property in any binding form, an
 * environment variable, or a connector customizer of its own that set another value), that choice is kept and a
 * warning names both properties.
 */
final class SseTomcatConnectionsCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
		Ordered {

	private static final Log logger = LogFactory.getLog(SseTomcatConnectionsCustomizer.class);

	/** Connections left for requests that are not streams when every stream slot is taken. */
	static final int HEADROOM = 1_024;

	private final int maxStreams;

	private final boolean explicit;

	/** The limit Boot gives Tomcat when nobody chose one. */
	private static final int DEFAULT_LIMIT = new TomcatServerProperties().getMaxConnections();

	/**
	 * @param maxStreams {@code sse.max-connections}
	 * @param explicit whether {@code server.tomcat.max-connections} was set
	 */
	SseTomcatConnectionsCustomizer(int maxStreams, boolean explicit) {
		this.maxStreams = maxStreams;
		this.explicit = explicit;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		// added after Boot's own connector customizers, so it sees the limit they set
		factory.addConnectorCustomizers((connector) -> {
			if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
				return;
			}
			int current = protocol.getMaxConnections();
			if (current < 0 || current >= this.maxStreams) {
				return;
			}
			if (this.explicit || current != DEFAULT_LIMIT) {
				logger.warn("server.tomcat.max-connections (" + current + ") is below sse.max-connections ("
						+ this.maxStreams + "): streams past " + current + " wait in Tomcat's accept queue instead of "
						+ "getting 503; raise server.tomcat.max-connections or lower sse.max-connections");
			}
			else {
				protocol.setMaxConnections(this.maxStreams + HEADROOM);
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

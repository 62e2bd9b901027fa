package dev.sseboot.benchmarks.fanout;

/**
 * The module's classpath holds Tomcat, Jetty (for {@link JettySseBootServer}) and Reactor Netty; without these
 * exclusions Boot could pick Jetty for the Tomcat servers and for WebFlux. Each server names its container.
 */
final class BenchServers {

	/** Excluded by the Tomcat servers: {@link JettySseBootServer} declares its Jetty factory itself. */
	static final String JETTY_SERVLET = "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration";

	/** Excluded by the WebFlux server, which runs on Reactor Netty. */
	static final String JETTY_REACTIVE = "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration";

	private BenchServers() {
	}

}

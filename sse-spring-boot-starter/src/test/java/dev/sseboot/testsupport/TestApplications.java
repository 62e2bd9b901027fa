package dev.sseboot.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.web.SseConnectionObserver;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseStreamInfo;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/**
 * Test applications: the same endpoints on Tomcat or on Jetty, security left out unless a test adds it. Both fix
 * their sockets' send buffer, so that a client that stops reading takes a known amount (the kernel would otherwise
 * grow the buffer towards 4 MB on loopback, slowly, as it pleases).
 */
public final class TestApplications {

	/** Bytes of the server's send buffer per connection (the kernel doubles it). */
	public static final int SEND_BUFFER = 64 * 1024;

	private TestApplications() {
	}

	/** A test application with every test endpoint, security auto-configuration left out. */
	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.TYPE)
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
	@Import(Endpoints.class)
	@interface TestApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ TestEndpoints.Plain.class, TestEndpoints.Rest.class, TestEndpoints.Prefixed.class,
			TestEndpoints.Stalling.class, TestEndpoints.Early.class, TestEndpoints.Streaming.class,
			TestEndpoints.Runs.class })
	public static class Endpoints {

		@Bean
		public RecordingDisconnects recordingDisconnects() {
			return new RecordingDisconnects();
		}

		@Bean
		@Order(0)
		public SseDisconnectListener throwingListener() {
			return (disconnect) -> {
				throw new IllegalStateException("listener failure must not stop the others");
			};
		}

		@Bean
		public Observed observed() {
			return new Observed();
		}

	}

	/** Sees every connection event, and which thread wrote. */
	public static class Observed implements SseConnectionObserver {

		public final List<Thread> writers = new CopyOnWriteArrayList<>();

		@Override
		public void onSent(SseStreamInfo stream, int events, int bytes) {
			this.writers.add(Thread.currentThread());
		}

	}

	@TestApplication
	public static class OnTomcat {

		@Bean
		public TomcatServletWebServerFactory tomcat() {
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			factory.addConnectorCustomizers(
					(connector) -> connector.setProperty("socket.txBufSize", String.valueOf(SEND_BUFFER)));
			return factory;
		}

	}

	@TestApplication
	public static class OnJetty {

		@Bean
		public JettyServletWebServerFactory jetty() {
			JettyServletWebServerFactory factory = new JettyServletWebServerFactory();
			factory.addServerCustomizers((server) -> {
				for (Connector connector : server.getConnectors()) {
					if (connector instanceof ServerConnector serverConnector) {
						serverConnector.setAcceptedSendBufferSize(SEND_BUFFER);
					}
				}
			});
			return factory;
		}

	}

}

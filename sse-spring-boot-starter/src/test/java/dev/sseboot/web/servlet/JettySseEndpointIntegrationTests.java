package dev.sseboot.web.servlet;

import java.util.Arrays;

import dev.sseboot.testsupport.TestApplications;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = TestApplications.OnJetty.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.retry=2500ms")
class JettySseEndpointIntegrationTests extends AbstractSseEndpointIntegrationTests {

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void jettysAcceptQueueIsSizedForReconnectBurstsNotLeftToTheJdksFifty() {
		JettyWebServer server = (JettyWebServer) this.context.getWebServer();
		assertThat(Arrays.stream(server.getServer().getConnectors()).map(ServerConnector.class::cast))
			.isNotEmpty()
			.allSatisfy((connector) -> assertThat(connector.getAcceptQueueSize()).isEqualTo(1_024));
	}

}

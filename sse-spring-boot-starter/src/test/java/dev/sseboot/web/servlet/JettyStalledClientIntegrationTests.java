package dev.sseboot.web.servlet;

import java.util.OptionalLong;

import dev.sseboot.testsupport.TestApplications;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

@SpringBootTest(classes = TestApplications.OnJetty.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.buffer.send-timeout=1s")
class JettyStalledClientIntegrationTests extends AbstractStalledClientIntegrationTests {

	@Override
	OptionalLong containerRequestsInProgress() {
		// Jetty keeps no such count without a statistics handler
		return OptionalLong.empty();
	}

}

package dev.sseboot.web.servlet;

import dev.sseboot.testsupport.TestApplications;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

@SpringBootTest(classes = TestApplications.OnJetty.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.retry=2500ms")
class JettySseEndpointIntegrationTests extends AbstractSseEndpointIntegrationTests {

}

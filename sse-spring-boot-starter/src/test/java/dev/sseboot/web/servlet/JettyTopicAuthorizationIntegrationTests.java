package dev.sseboot.web.servlet;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@SpringBootTest(classes = JettyTopicAuthorizationIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class JettyTopicAuthorizationIntegrationTests extends AbstractTopicAuthorizationIntegrationTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Secured.class)
	static class App {

		@Bean
		JettyServletWebServerFactory jetty() {
			return new JettyServletWebServerFactory();
		}

	}

}

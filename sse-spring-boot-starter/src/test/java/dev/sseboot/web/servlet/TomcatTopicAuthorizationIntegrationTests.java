package dev.sseboot.web.servlet;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

@SpringBootTest(classes = TomcatTopicAuthorizationIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class TomcatTopicAuthorizationIntegrationTests extends AbstractTopicAuthorizationIntegrationTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Secured.class)
	static class App {

		@Bean
		TomcatServletWebServerFactory tomcat() {
			return new TomcatServletWebServerFactory();
		}

	}

}

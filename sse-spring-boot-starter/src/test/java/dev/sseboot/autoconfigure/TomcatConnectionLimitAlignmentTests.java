package dev.sseboot.autoconfigure;

import java.util.Map;

import dev.sseboot.testsupport.TestApplications;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's connection limit against {@code sse.max-connections}: raised when left to its default (8,192 < 10,000),
 * kept with a warning naming both properties when set lower, untouched when already enough.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatConnectionLimitAlignmentTests {

	private static int maxConnections(String... args) {
		return maxConnections(Map.of(), new Class<?>[0], args);
	}

	/** The limit of an application started with {@code environmentVariables} and {@code sources} added. */
	private static int maxConnections(Map<String, Object> environmentVariables, Class<?>[] sources, String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--server.port=0";
		all[1] = "--spring.main.banner-mode=off";
		System.arraycopy(args, 0, all, 2, args.length);
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environmentVariables));
		Class<?>[] applications = new Class<?>[sources.length + 1];
		applications[0] = TestApplications.OnTomcat.class;
		System.arraycopy(sources, 0, applications, 1, sources.length);
		SpringApplication application = new SpringApplication(applications);
		application.setEnvironment(environment);
		try (ConfigurableApplicationContext context = application.run(all)) {
			TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
			return ((AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler()).getMaxConnections();
		}
	}

	@Test
	void theDefaultLimitIsRaisedAboveSseMaxConnections(CapturedOutput output) {
		assertThat(maxConnections()).isEqualTo(10_000 + SseTomcatConnectionsCustomizer.HEADROOM);
		assertThat(maxConnections("--sse.max-connections=20000"))
			.isEqualTo(20_000 + SseTomcatConnectionsCustomizer.HEADROOM);
		assertThat(output).doesNotContain("is below sse.max-connections");
	}

	@Test
	void anExplicitLowerLimitIsKeptWithAWarningNamingBoth(CapturedOutput output) {
		assertThat(maxConnections("--server.tomcat.max-connections=500")).isEqualTo(500);
		assertThat(output).contains("server.tomcat.max-connections (500) is below sse.max-connections (10000)");
	}

	@Test
	void aLimitSetInAnyBindingFormIsKept(CapturedOutput output) {
		assertThat(maxConnections("--server.tomcat.maxConnections=600")).isEqualTo(600);
		assertThat(output).contains("server.tomcat.max-connections (600) is below sse.max-connections (10000)");
		assertThat(maxConnections(Map.of("SERVER_TOMCAT_MAXCONNECTIONS", "700"), new Class<?>[0])).isEqualTo(700);
		assertThat(output).contains("server.tomcat.max-connections (700) is below sse.max-connections (10000)");
	}

	@Test
	void aLimitSetByTheApplicationsOwnConnectorCustomizerIsKept(CapturedOutput output) {
		assertThat(maxConnections(Map.of(), new Class<?>[] { OwnLimit.class })).isEqualTo(900);
		assertThat(output).contains("(900) is below sse.max-connections (10000)");
	}

	@Test
	void aLimitThatIsEnoughIsLeftAlone(CapturedOutput output) {
		assertThat(maxConnections("--sse.max-connections=100")).isEqualTo(8_192);
		assertThat(output).doesNotContain("is below sse.max-connections");
	}

	/** An application that sets Tomcat's limit itself, in code. */
	@Configuration(proxyBeanMethods = false)
	static class OwnLimit {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> ownLimit() {
			return (factory) -> factory.addConnectorCustomizers(
					(connector) -> ((AbstractProtocol<?>) connector.getProtocolHandler()).setMaxConnections(900));
		}

	}

}

package dev.sseboot.autoconfigure;

import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's connection limit against {@code sse.max-connections}: raised when left to its default (8,192 < 10,000),
 * kept with a warning naming both properties when set lower, untouched when already enough.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatConnectionLimitAlignmentTests {

	private static int maxConnections(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--server.port=0";
		all[1] = "--spring.main.banner-mode=off";
		System.arraycopy(args, 0, all, 2, args.length);
		try (ConfigurableApplicationContext context = SpringApplication.run(TestApplications.OnTomcat.class, all)) {
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
	void aLimitThatIsEnoughIsLeftAlone(CapturedOutput output) {
		assertThat(maxConnections("--sse.max-connections=100")).isEqualTo(8_192);
		assertThat(output).doesNotContain("is below sse.max-connections");
	}

}

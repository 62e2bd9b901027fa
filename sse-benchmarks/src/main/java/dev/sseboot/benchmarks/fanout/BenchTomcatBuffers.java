package dev.sseboot.benchmarks.fanout;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code --bench.tomcat-app-buffers=<bytes>} sets Tomcat's per-connection socket buffers
 * ({@code socket.appReadBufSize}, {@code socket.appWriteBufSize}, 8 KB each by default): what shrinking the
 * container's buffers saves per stream. Off unless the property is set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.tomcat-app-buffers")
@ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
public class BenchTomcatBuffers {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatAppBuffers(Environment environment) {
		String bytes = environment.getRequiredProperty("bench.tomcat-app-buffers");
		return (factory) -> factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("socket.appReadBufSize", bytes);
			connector.setProperty("socket.appWriteBufSize", bytes);
		});
	}

}

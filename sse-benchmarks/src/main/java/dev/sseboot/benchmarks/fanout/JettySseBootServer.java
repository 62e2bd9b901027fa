package dev.sseboot.benchmarks.fanout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** (a) sse-boot as {@link SseBootServer}, on Jetty instead of Tomcat: the container's cost per stream beside it. */
@Import(SseBootServer.class)
public class JettySseBootServer {

	public static void main(String[] args) {
		SpringApplication.run(JettySseBootServer.class, args);
	}

	@Bean
	JettyServletWebServerFactory jetty() {
		return new JettyServletWebServerFactory();
	}

}

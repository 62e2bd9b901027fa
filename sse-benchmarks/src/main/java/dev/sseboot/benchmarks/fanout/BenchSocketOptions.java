package dev.sseboot.benchmarks.fanout;

import io.netty.channel.ChannelOption;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code --bench.send-buffer=<bytes>} fixes every accepted socket's send buffer, the same way on all three servers,
 * so that a client that stops reading fills it within a run: on loopback the kernel otherwise grows it to about
 * 2 MB, which takes minutes at the scenario's rate. Off unless the property is set.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.send-buffer")
public class BenchSocketOptions {

	static int sendBuffer(Environment environment) {
		return environment.getRequiredProperty("bench.send-buffer", Integer.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
	static class Tomcat {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatSendBuffer(Environment environment) {
			String bytes = String.valueOf(sendBuffer(environment));
			return (factory) -> factory.addConnectorCustomizers(
					(connector) -> connector.setProperty("socket.txBufSize", bytes));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory")
	static class Netty {

		@Bean
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> nettySendBuffer(Environment environment) {
			int bytes = sendBuffer(environment);
			return (factory) -> factory.addServerCustomizers(
					(server) -> server.childOption(ChannelOption.SO_SNDBUF, bytes));
		}

	}

}

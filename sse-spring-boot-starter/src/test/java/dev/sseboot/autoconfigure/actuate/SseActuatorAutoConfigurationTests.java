package dev.sseboot.autoconfigure.actuate;

import java.security.Principal;
import java.util.Map;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.web.SseBackendHealth;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class SseActuatorAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseActuatorAutoConfiguration.class,
				SseHealthAutoConfiguration.class,
				WebMvcAutoConfiguration.class, EndpointAutoConfiguration.class));

	@Test
	void endpointExistsOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SseActuatorEndpoint.class)
			.hasSingleBean(SseHealthIndicator.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sse")
			.run((context) -> assertThat(context).hasSingleBean(SseActuatorEndpoint.class));
	}

	@Test
	void showsTopicNamesWhenAuthorizedOnlyToTheConfiguredRoles() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=sse",
				"management.endpoint.sse.show-topics=when-authorized", "management.endpoint.sse.roles=ops")
			.run((context) -> {
				context.getBean(Broadcaster.class).publish("user.ada", "hello");
				SseActuatorEndpoint endpoint = context.getBean(SseActuatorEndpoint.class);
				assertThat(endpoint.sse(SecurityContext.NONE).topics().byName()).isNull();
				assertThat(endpoint.sse(user("ada", "users")).topics().byName()).isNull();
				assertThat(endpoint.sse(user("ops-1", "ops")).topics().byName()).containsKey("user.ada");
				assertThat(endpoint.sse(SecurityContext.NONE).topics().count()).isOne();
			});
	}

	private static SecurityContext user(String name, String role) {
		return new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return () -> name;
			}

			@Override
			public boolean isUserInRole(String wanted) {
				return wanted.equals(role);
			}

		};
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseHealthIndicator.class));
	}

	@Test
	void backsOffWithoutActuatorOrWhenSseIsDisabled() {
		this.runner.withPropertyValues("sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseHealthIndicator.class));
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseActuatorAutoConfiguration.class,
					SseHealthAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
					"org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SseHealthIndicator.class)
				.doesNotHaveBean(SseActuatorEndpoint.class)
				.hasBean("sseStreams"));
	}

	@Test
	void isDownWhenABackEndIsDown() {
		this.runner.withBean("redisHealth", SseBackendHealth.class,
				() -> () -> new SseBackendHealth.Status("redis", false, Map.of("error", "Connection refused")))
			.run((context) -> {
				Health health = context.getBean(SseHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("redis", Map.of("error", "Connection refused"))
					.containsEntry("maxConnections", 10000);
			});
	}

	@Test
	void isUpWhenBackEndsAreUp() {
		this.runner.withBean("redisHealth", SseBackendHealth.class,
				() -> () -> new SseBackendHealth.Status("redis", true, Map.of()))
			.run((context) -> assertThat(context.getBean(SseHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UP));
	}

}

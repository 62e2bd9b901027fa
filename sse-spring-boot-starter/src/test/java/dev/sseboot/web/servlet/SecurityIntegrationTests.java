package dev.sseboot.web.servlet;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.core.CloseReason;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.Refusals;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseStreams;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A secured endpoint: anonymous gets 401, a user gets the stream, and the async dispatch that ends it passes. */
@SpringBootTest(classes = SecurityIntegrationTests.SecuredApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sse.max-connections-per-client=1")
class SecurityIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	SecuredApplication application;

	@Autowired
	SseStreams connections;

	@Test
	void refusesAnonymousWith401() throws Exception {
		int deniedBefore = this.application.denied.size();
		try (SseStream stream = SseTestClient.local(this.port).open("/secure/feed")) {
			assertThat(stream.status()).isEqualTo(401);
		}
		assertThat(this.application.disconnects).noneMatch((d) -> d.principal() == null);
		assertThat(this.application.denied).as("denials are recorded").hasSizeGreaterThan(deniedBefore);
	}

	@Test
	void streamsToAnAuthenticatedUserAndLetsTheAsyncDispatchThrough() throws Exception {
		String basic = "Basic " + Base64.getEncoder().encodeToString("ada:lovelace".getBytes(StandardCharsets.UTF_8));
		int deniedBefore = this.application.denied.size();
		try (SseStream stream = SseTestClient.local(this.port).request("/secure/feed").header("Authorization", basic)
			.open()) {
			assertThat(stream.status()).isEqualTo(200);
			stream.awaitEnd(WAIT);
			assertThat(stream.rawText()).isEqualTo("event: hello\ndata: ada\n\n");
		}
		await().atMost(WAIT).until(() -> this.application.disconnects.stream()
			.anyMatch((d) -> d.endpoint().equals("/secure/feed")));
		SseDisconnect disconnect = this.application.disconnects.stream()
			.filter((d) -> d.endpoint().equals("/secure/feed")).findFirst().orElseThrow();
		assertThat(disconnect.principal()).isEqualTo("ada");
		assertThat(disconnect.reason()).isEqualTo(CloseReason.COMPLETED);
		assertThat(this.application.denied.subList(deniedBefore, this.application.denied.size()))
			.as("no authorization was denied for the stream's dispatches")
			.isEmpty();
	}

	@Test
	void limitsStreamsPerPrincipalNotPerAddress() throws Exception {
		SseTestClient client = SseTestClient.local(this.port);
		try (SseStream ada = client.request("/secure/hold").header("Authorization", basic("ada", "lovelace")).open()) {
			ada.awaitEvent((m) -> m.event().equals("hello"), WAIT);
			try (SseStream again = client.request("/secure/hold").header("Authorization", basic("ada", "lovelace"))
				.open()) {
				Refusals.assertRefusedWithRetry(again, "maximum of 1 event streams (sse.max-connections-per-client)");
			}
			// another user from the same address is another client
			try (SseStream grace = client.request("/secure/hold").header("Authorization", basic("grace", "hopper"))
				.open()) {
				assertThat(grace.status()).isEqualTo(200);
				grace.awaitEvent((m) -> m.data().equals("grace"), WAIT);
			}
			ada.cut();
		}
		// the slot comes back once the cut is noticed (heartbeats every 100 ms)
		await().atMost(WAIT).untilAsserted(() -> {
			try (SseStream ada = client.request("/secure/hold").header("Authorization", basic("ada", "lovelace"))
				.open()) {
				assertThat(ada.status()).isEqualTo(200);
			}
		});
		// leave no slot behind for the other tests of this one-stream-per-client application
		await().atMost(WAIT).until(() -> this.connections.size() == 0);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SecuredApplication {

		final List<SseDisconnect> disconnects = new CopyOnWriteArrayList<>();

		final List<DispatcherType> denied = new CopyOnWriteArrayList<>();

		@Bean
		TomcatServletWebServerFactory tomcat() {
			return new TomcatServletWebServerFactory();
		}

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.requestMatchers("/secure/**").authenticated()
				.anyRequest().permitAll()).httpBasic(Customizer.withDefaults()).build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("ada").password("{noop}lovelace").roles("USER")
				.build(),
					User.withUsername("grace").password("{noop}hopper").roles("USER").build());
		}

		@Bean
		AuthorizationEventPublisher authorizationEvents(ApplicationContext context) {
			return new SpringAuthorizationEventPublisher(context);
		}

		@Bean
		ApplicationListener<AuthorizationDeniedEvent<?>> deniedListener() {
			return (event) -> this.denied.add(DispatcherType.REQUEST);
		}

		@Bean
		SseDisconnectListener record() {
			return this.disconnects::add;
		}

		@Bean
		Feed feed() {
			return new Feed();
		}

	}

	@Component
	static class Feed {

		@SseEndpoint("/secure/feed")
		void feed(EventChannel channel, Principal user) {
			channel.send(SseEvent.of("hello", user.getName()));
			channel.close();
		}

		@SseEndpoint(path = "/secure/hold", heartbeat = "100ms")
		void hold(EventChannel channel, Principal user) {
			channel.send(SseEvent.of("hello", user.getName()));
		}

	}

}

package dev.sseboot.web.servlet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.autoconfigure.SseAutoConfiguration;
import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.client.SseMessage;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseTopicAuthorizer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Streams on many topics through Spring MVC: {@code topics} templates filled from path variables, {@code topicParam}
 * topics named by the client (authorized each, 403 for one denied, 400 past the maximum), one {@code Last-Event-ID}
 * resuming every topic, and a deadline on one topic closing the whole stream {@code UNAUTHORIZED}.
 */
@SpringBootTest(classes = ManyTopicsIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.topics.max-per-stream=3")
class ManyTopicsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	App app;

	private SseTestClient client() {
		return SseTestClient.local(this.port);
	}

	private static String topicOf(SseMessage message) {
		return message.lastEventId().substring(0, message.lastEventId().lastIndexOf(' '));
	}

	@Test
	void templatesFilledFromThePathMakeOneStreamAndOneIdResumesEveryTopic() throws Exception {
		String lastSeen;
		try (SseStream live = client().open("/live/lobby/ann")) {
			assertThat(live.status()).isEqualTo(200);
			this.broadcaster.publish("room.lobby", SseEvent.of("chat", "hi"));
			this.broadcaster.publish("user.ann", SseEvent.of("mail", "for ann"));
			this.broadcaster.publish("room.lobby.presence", "bob joined");
			live.awaitEvents(3, WAIT);
			assertThat(live.events())
				.extracting(SseMessage::event, SseMessage::data, ManyTopicsIntegrationTests::topicOf)
				.containsExactly(tuple("chat", "hi", "room.lobby"),
						tuple("mail", "for ann", "user.ann"),
						tuple("message", "bob joined", "room.lobby.presence"));
			lastSeen = live.lastEventId();
			assertThat(lastSeen.getBytes(StandardCharsets.UTF_8).length).isLessThan(100);
		}
		this.broadcaster.publish("user.ann", "second mail");
		this.broadcaster.publish("room.lobby", "while away");
		this.broadcaster.publish("room.other", "not this stream's");
		try (SseStream again = client().request("/live/lobby/ann").lastEventId(lastSeen).open()) {
			this.broadcaster.publish("room.lobby.presence", "live again");
			again.awaitEvents(3, WAIT);
			assertThat(again.events()).extracting(SseMessage::data)
				.containsExactly("second mail", "while away", "live again");
		}
	}

	/**
	 * A page that reloads cannot set headers on an {@code EventSource}: it passes the id it saved as
	 * {@code ?lastEventId=}. A browser reconnecting by itself sends the newer id in the header, which wins.
	 */
	@Test
	void aReloadedPageResumesWithTheLastEventIdQueryParameterAndTheHeaderWins() throws Exception {
		String first;
		String second;
		try (SseStream live = client().open("/live/reload/ann")) {
			assertThat(live.status()).isEqualTo(200);
			this.broadcaster.publish("room.reload", "one");
			first = live.awaitEvent((m) -> m.data().equals("one"), WAIT).lastEventId();
			this.broadcaster.publish("user.ann", "two");
			second = live.awaitEvent((m) -> m.data().equals("two"), WAIT).lastEventId();
		}
		this.broadcaster.publish("room.reload.presence", "three");
		String query = "?lastEventId=" + URLEncoder.encode(first, StandardCharsets.UTF_8);
		try (SseStream reloaded = client().open("/live/reload/ann" + query)) {
			reloaded.awaitEvents(2, WAIT);
			assertThat(reloaded.events()).extracting(SseMessage::data).containsExactly("two", "three");
		}
		try (SseStream reconnected = client().request("/live/reload/ann" + query).lastEventId(second).open()) {
			reconnected.awaitEvents(1, WAIT);
			assertThat(reconnected.events()).extracting(SseMessage::data).containsExactly("three");
		}
		try (SseStream refused = client().open("/live/reload/ann?lastEventId=%0A")) {
			refused.awaitEnd(WAIT);
			assertThat(refused.status()).isEqualTo(400);
		}
	}

	@Test
	void topicsNamedByTheClientAreEachAuthorizedAndResumeWithOneId() throws Exception {
		String lastSeen;
		try (SseStream events = client().open("/events?topic=news&topic=prices&topic=news")) {
			assertThat(events.status()).isEqualTo(200);
			this.broadcaster.publish("prices", "p1");
			this.broadcaster.publish("news", "n1");
			events.awaitEvents(2, WAIT);
			lastSeen = events.lastEventId();
		}
		this.broadcaster.publish("news", "n2");
		this.broadcaster.publish("prices", "p2");
		try (SseStream again = client().request("/events?topic=prices&topic=news").lastEventId(lastSeen).open()) {
			again.awaitEvents(2, WAIT);
			assertThat(again.events()).extracting(SseMessage::data).containsExactly("n2", "p2");
		}
		assertThat(this.app.asked).contains("news", "prices");
	}

	@Test
	void oneDeniedTopicRefusesTheWholeRequestWith403AndNoStream() throws Exception {
		try (SseStream refused = client().open("/events?topic=news&topic=secret.plans")) {
			refused.awaitEnd(WAIT);
			assertThat(refused.status()).isEqualTo(403);
			assertThat(refused.rawText()).contains("Not allowed to read topic secret.plans").doesNotContain("data:");
		}
	}

	@Test
	void moreTopicsThanTheMaximumOrNoneOrAnInvalidOneGet400() throws Exception {
		for (String query : List.of("?topic=a&topic=b&topic=c&topic=d", "", "?topic=", "?topic=bad%0Aname")) {
			try (SseStream refused = client().open("/events" + query)) {
				refused.awaitEnd(WAIT);
				assertThat(refused.status()).as(query).isEqualTo(400);
			}
		}
		try (SseStream refused = client().open("/events?topic=a&topic=b&topic=c&topic=d")) {
			refused.awaitEnd(WAIT);
			assertThat(refused.rawText()).contains("at most 3 topics").contains("sse.topics.max-per-stream");
		}
	}

	@Test
	void anAuthorizationThatEndsForOneTopicClosesTheStreamUnauthorized() throws Exception {
		int before = this.app.disconnects.size();
		try (SseStream events = client().open("/events?topic=news&topic=expiring.feed")) {
			assertThat(events.status()).isEqualTo(200);
			events.awaitEnd(WAIT);
			assertThat(events.rawText()).matches("(?s).*retry: [1-5]\\d{3}\n\n");
		}
		await().atMost(WAIT).until(() -> this.app.disconnects.size() > before);
		assertThat(this.app.disconnects.stream().skip(before)).extracting(SseDisconnect::reason)
			.containsExactly(CloseReason.UNAUTHORIZED);
	}

	@Test
	void topicParamWithoutAnAuthorizerFailsStartUpNamingTheFix() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withBean(Unguarded.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((failure) -> assertThat(causes(failure))
					.contains("@SseEndpoint Unguarded.events has topicParam = \"topic\"")
					.contains("define an SseTopicAuthorizer bean")));
	}

	@Test
	void topicAndTopicsTogetherFailStartUp() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withBean(Both.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((failure) -> assertThat(causes(failure))
					.contains("has more than one of topic, topics and topicParam")));
	}

	private static String causes(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	static class Unguarded {

		@SseEndpoint(path = "/events", topicParam = "topic")
		void events(EventChannel channel) {
		}

	}

	static class Both {

		@SseEndpoint(path = "/both", topic = "a", topics = { "b", "c" })
		void both(EventChannel channel) {
		}

	}

	/** Without Spring Security's auto-configuration: the authorizer here is the only gate. */
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
	static class App {

		final List<String> asked = new CopyOnWriteArrayList<>();

		final List<SseDisconnect> disconnects = new CopyOnWriteArrayList<>();

		@SseEndpoint(path = "/live/{room}/{user}", topics = { "room.{room}", "room.{room}.presence", "user.{user}" },
				heartbeat = "0")
		void live(EventChannel channel, @PathVariable String room, @PathVariable String user) {
		}

		@SseEndpoint(path = "/events", topicParam = "topic", heartbeat = "0")
		void events(EventChannel channel) {
		}

		/** "secret." topics are denied; "expiring." ones may be read for 500 ms; the rest are allowed. */
		@Bean
		SseTopicAuthorizer topics() {
			return (principal, topic, endpoint, request) -> {
				this.asked.add(topic);
				if (topic.startsWith("secret.")) {
					return SseTopicAuthorizer.Decision.DENY;
				}
				return topic.startsWith("expiring.")
						? SseTopicAuthorizer.Decision.until(Instant.now().plusMillis(500))
						: SseTopicAuthorizer.Decision.ALLOW;
			};
		}

		@Bean
		SseDisconnectListener manyTopicsDisconnects() {
			return (disconnect) -> {
				if (disconnect.endpoint().equals("/events")) {
					this.disconnects.add(disconnect);
				}
			};
		}

	}

}

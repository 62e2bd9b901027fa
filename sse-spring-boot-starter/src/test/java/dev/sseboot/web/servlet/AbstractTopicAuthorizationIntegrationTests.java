package dev.sseboot.web.servlet;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.CloseReason;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.SseEvent;
import dev.sseboot.core.TopicNames;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.web.SseDisconnect;
import dev.sseboot.web.SseDisconnectListener;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseStreams;
import dev.sseboot.web.SseTopicAuthorizer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code SseTopicAuthorizer} with Spring Security (HTTP Basic users alice and bob): a per-user inbox that bob can
 * neither subscribe to nor resume with an id he learned, access revoked while the method ran refuses the replay, a
 * deadline closes the stream {@code UNAUTHORIZED} after {@code retry:}, and an authorizer that throws refuses with
 * 403, not 500. Subclasses pick the container.
 */
abstract class AbstractTopicAuthorizationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	Broadcaster broadcaster;

	@Autowired
	SseStreams streams;

	@Autowired
	Inboxes inboxes;

	private SseTestClient.Request as(String user, String path) {
		String password = user.equals("alice") ? "alice-pw" : "bob-pw";
		return SseTestClient.local(this.port).request(path).header("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aliceReadsHerInboxAndBobCannotSubscribeToIt() throws Exception {
		int before = this.inboxes.disconnects.size();
		try (SseStream alice = as("alice", "/inbox/alice").open(); SseStream bob = as("bob", "/inbox/alice").open()) {
			assertThat(alice.status()).isEqualTo(200);
			assertThat(bob.status()).isEqualTo(403);
			bob.awaitEnd(WAIT);
			this.broadcaster.publish("inbox.alice", SseEvent.of("mail", "for alice only"));
			alice.awaitEvent((m) -> m.data().equals("for alice only"), WAIT);
			assertThat(bob.rawText()).doesNotContain("for alice only").contains("Not allowed to read this topic");
		}
		// alice's stream was one (noticed by its heartbeat); bob's refused request none, in this test or any other
		await().atMost(WAIT).until(() -> this.inboxes.disconnects.stream()
			.skip(before)
			.anyMatch((d) -> "alice".equals(d.principal()) && d.endpoint().equals("/inbox/{user}")));
		assertThat(this.inboxes.disconnects).noneMatch((d) -> "bob".equals(d.principal()));
		assertThat(this.inboxes.ran).doesNotContain("bob:inbox.alice");
	}

	@Test
	void bobCannotResumeAlicesInboxWithAnIdHeLearned() throws Exception {
		String id;
		try (SseStream alice = as("alice", "/inbox/alice").open()) {
			// the headers are out once the subscription is active
			assertThat(alice.status()).isEqualTo(200);
			id = this.broadcaster.publish("inbox.alice", SseEvent.of("mail", "first"));
			alice.awaitEvent((m) -> m.data().equals("first"), WAIT);
		}
		this.broadcaster.publish("inbox.alice", SseEvent.of("mail", "secret"));
		try (SseStream bob = as("bob", "/inbox/alice").lastEventId(id).open()) {
			assertThat(bob.status()).isEqualTo(403);
			bob.awaitEnd(WAIT);
			assertThat(bob.rawText()).doesNotContain("secret");
		}
		try (SseStream alice = as("alice", "/inbox/alice").lastEventId(id).open()) {
			alice.awaitEvent((m) -> m.data().equals("secret"), WAIT);
		}
	}

	@Test
	void accessRevokedWhileTheMethodRanRefusesTheReplay() throws Exception {
		String id = this.broadcaster.publish("revocable.alice", SseEvent.of("mail", "before"));
		this.broadcaster.publish("revocable.alice", SseEvent.of("mail", "missed"));
		try (SseStream alice = as("alice", "/revocable/alice").lastEventId(id).open()) {
			// the method revokes alice's access: the check before the replay sees it
			assertThat(alice.status()).isEqualTo(403);
			alice.awaitEnd(WAIT);
			assertThat(alice.rawText()).doesNotContain("missed");
		}
		assertThat(this.inboxes.ran).contains("alice:revocable.alice");
	}

	@Test
	void aDeadlineClosesTheStreamUnauthorizedAfterARetry() throws Exception {
		int before = this.inboxes.disconnects.size();
		try (SseStream alice = as("alice", "/expiring/alice").open()) {
			assertThat(alice.status()).isEqualTo(200);
			alice.awaitEnd(WAIT);
			assertThat(alice.rawText()).matches("(?s).*retry: [1-5]\\d{3}\n\n");
		}
		await().atMost(WAIT).until(() -> this.inboxes.disconnects.stream()
			.skip(before)
			.anyMatch((d) -> d.endpoint().equals("/expiring/{user}")));
		assertThat(this.inboxes.disconnects.stream().skip(before)
			.filter((d) -> d.endpoint().equals("/expiring/{user}")))
			.extracting(SseDisconnect::reason)
			.containsExactly(CloseReason.UNAUTHORIZED);
	}

	@Test
	void aDeadlineBeyondAnySchedulersRangeIsNoDeadline() throws Exception {
		String id = this.broadcaster.publish("forever.alice", SseEvent.of("mail", "kept"));
		this.broadcaster.publish("forever.alice", SseEvent.of("mail", "missed"));
		try (SseStream fresh = as("alice", "/forever/alice").open();
				SseStream resumed = as("alice", "/forever/alice").lastEventId(id).open()) {
			assertThat(fresh.status()).isEqualTo(200);
			assertThat(resumed.status()).isEqualTo(200);
			resumed.awaitEvent((m) -> m.data().equals("missed"), WAIT);
			this.broadcaster.publish("forever.alice", SseEvent.of("mail", "live"));
			fresh.awaitEvent((m) -> m.data().equals("live"), WAIT);
			resumed.awaitEvent((m) -> m.data().equals("live"), WAIT);
		}
	}

	@Test
	void anAuthorizationThatRanOutWhileTheMethodRanRefusesTheReplay() throws Exception {
		String id = this.broadcaster.publish("lapsing.alice", SseEvent.of("mail", "seen"));
		this.broadcaster.publish("lapsing.alice", SseEvent.of("mail", "secret"));
		try (SseStream alice = as("alice", "/lapsing/alice").lastEventId(id).open()) {
			// the method outlives alice's token: the check before the replay finds it expired
			assertThat(alice.status()).isEqualTo(403);
			alice.awaitEnd(WAIT);
			assertThat(alice.rawText()).doesNotContain("secret");
		}
		assertThat(this.inboxes.ran).contains("alice:lapsing.alice");
		// refused, not a stream: no disconnect, now or later
		assertThat(this.inboxes.disconnects).noneMatch((d) -> d.endpoint().equals("/lapsing/{user}"));
	}

	@Test
	void anAuthorizerThatThrowsRefusesWith403() throws Exception {
		int open = this.streams.size();
		try (SseStream alice = as("alice", "/broken/alice").open()) {
			assertThat(alice.status()).isEqualTo(403);
		}
		assertThat(this.streams.size()).isEqualTo(open);
	}

	/** The secured endpoints and authorizers, the same on both containers. */
	@Configuration(proxyBeanMethods = false)
	@Import(Inboxes.class)
	static class Secured {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}alice-pw").roles("USER").build(),
					User.withUsername("bob").password("{noop}bob-pw").roles("USER").build());
		}

		/** Every topic of the form {@code <kind>.<user>} is its user's only; "revocable" ones while not revoked. */
		@Bean
		SseTopicAuthorizer ownTopicsOnly(Inboxes inboxes) {
			return (principal, topic, endpoint, request) -> {
				String own = (principal != null) ? TopicNames.escape(principal.getName()) : null;
				boolean mine = own != null && topic.endsWith("." + own);
				return SseTopicAuthorizer.Decision.of(mine && !inboxes.revoked.contains(topic));
			};
		}

		/** Streams of "expiring" topics may be read for 700 ms. */
		@Bean
		SseTopicAuthorizer expiring() {
			return (principal, topic, endpoint, request) -> topic.startsWith("expiring.")
					? SseTopicAuthorizer.Decision.until(Instant.now().plusMillis(700))
					: SseTopicAuthorizer.Decision.ALLOW;
		}

		/** "forever" topics: a token that never expires. */
		@Bean
		SseTopicAuthorizer forever() {
			return (principal, topic, endpoint, request) -> topic.startsWith("forever.")
					? SseTopicAuthorizer.Decision.until(Instant.MAX) : SseTopicAuthorizer.Decision.ALLOW;
		}

		/** "lapsing" topics: a token that expires 300 ms after it was first shown, whoever asks again later. */
		@Bean
		SseTopicAuthorizer lapsing(Inboxes inboxes) {
			return (principal, topic, endpoint, request) -> topic.startsWith("lapsing.")
					? SseTopicAuthorizer.Decision
						.until(inboxes.tokens.computeIfAbsent(topic, (key) -> Instant.now().plusMillis(300)))
					: SseTopicAuthorizer.Decision.ALLOW;
		}

		@Bean
		SseTopicAuthorizer broken() {
			return (principal, topic, endpoint, request) -> {
				if (topic.startsWith("broken.")) {
					throw new IllegalStateException("this authorizer is broken");
				}
				return SseTopicAuthorizer.Decision.ALLOW;
			};
		}

	}

	@Component
	static class Inboxes {

		final List<SseDisconnect> disconnects = new CopyOnWriteArrayList<>();

		final Set<String> revoked = ConcurrentHashMap.newKeySet();

		final List<String> ran = new CopyOnWriteArrayList<>();

		/** When each "lapsing" topic's token expires. */
		final Map<String, Instant> tokens = new ConcurrentHashMap<>();

		@Bean
		SseDisconnectListener recordSecuredDisconnects() {
			return this.disconnects::add;
		}

		@SseEndpoint(path = "/inbox/{user}", topic = "inbox.{user}", heartbeat = "100ms")
		void inbox(EventChannel channel, @PathVariable String user, Principal principal) {
			this.ran.add(principal.getName() + ":inbox." + user);
		}

		@SseEndpoint(path = "/revocable/{user}", topic = "revocable.{user}", heartbeat = "0")
		void revocable(EventChannel channel, @PathVariable String user, Principal principal) {
			this.ran.add(principal.getName() + ":revocable." + user);
			this.revoked.add("revocable." + user);
		}

		@SseEndpoint(path = "/expiring/{user}", topic = "expiring.{user}", heartbeat = "0")
		void expiring(EventChannel channel, @PathVariable String user) {
		}

		@SseEndpoint(path = "/forever/{user}", topic = "forever.{user}", heartbeat = "0")
		void forever(EventChannel channel, @PathVariable String user) {
		}

		/** A method that takes longer than the token it was let in with. */
		@SseEndpoint(path = "/lapsing/{user}", topic = "lapsing.{user}", heartbeat = "0")
		void lapsing(EventChannel channel, @PathVariable String user, Principal principal) {
			this.ran.add(principal.getName() + ":lapsing." + user);
			Instant expiry = this.tokens.get("lapsing." + user);
			await().atMost(WAIT).until(() -> expiry != null && Instant.now().isAfter(expiry.plusMillis(50)));
		}

		@SseEndpoint(path = "/broken/{user}", topic = "broken.{user}", heartbeat = "0")
		void broken(EventChannel channel, @PathVariable String user) {
		}

	}

}

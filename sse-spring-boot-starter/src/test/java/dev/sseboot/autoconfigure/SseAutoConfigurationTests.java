package dev.sseboot.autoconfigure;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sseboot.core.Broadcaster;
import dev.sseboot.core.EventChannel;
import dev.sseboot.core.Heartbeat;
import dev.sseboot.core.InMemoryBroadcaster;
import dev.sseboot.core.OverflowPolicy;
import dev.sseboot.core.SseDataSerializer;
import dev.sseboot.core.SseDefaults;
import dev.sseboot.core.SseEncoder;
import dev.sseboot.core.SseEvent;
import dev.sseboot.web.SseEndpoint;
import dev.sseboot.web.SseStreams;
import dev.sseboot.web.servlet.SseWebMvcConfigurer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;

class SseAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, WebMvcAutoConfiguration.class,
				JacksonAutoConfiguration.class));

	@Test
	void createsEveryBeanByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SseProperties.class)
			.hasSingleBean(SseEncoder.class)
			.hasSingleBean(Heartbeat.class)
			.hasSingleBean(SseStreams.class)
			.hasSingleBean(SseWebMvcConfigurer.class)
			.hasSingleBean(SseDataSerializer.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("sse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SseProperties.class)
				.doesNotHaveBean(SseStreams.class)
				.doesNotHaveBean(SseWebMvcConfigurer.class));
	}

	@Test
	void isActiveWhenExplicitlyEnabled() {
		this.runner.withPropertyValues("sse.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SseStreams.class));
	}

	@Test
	void backsOffOutsideServletApplications() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseStreams.class));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.runner.withClassLoader(new FilteredClassLoader(SseEmitter.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SseStreams.class));
	}

	@Test
	void userEncoderHeartbeatAndSerializerWin() {
		SseEncoder encoder = new SseEncoder();
		this.runner.withBean(SseEncoder.class, () -> encoder)
			.withBean(Heartbeat.class, Heartbeat::manual)
			.withBean(SseDataSerializer.class, () -> (data) -> "custom")
			.run((context) -> {
				assertThat(context.getBean(SseEncoder.class)).isSameAs(encoder);
				assertThat(context).hasSingleBean(Heartbeat.class).hasSingleBean(SseDataSerializer.class);
				assertThat(context.getBean(SseDataSerializer.class).serialize(1)).isEqualTo("custom");
			});
	}

	@Test
	void userBroadcasterWins() {
		Broadcaster mine = new InMemoryBroadcaster(new SseEncoder(), 1);
		this.runner.withBean(Broadcaster.class, () -> mine)
			.run((context) -> assertThat(context.getBean(Broadcaster.class)).isSameAs(mine));
	}

	@Test
	void replaySizeReachesTheBroadcaster() {
		this.runner.withPropertyValues("sse.replay.size=3").run((context) -> {
			Broadcaster broadcaster = context.getBean(Broadcaster.class);
			broadcaster.publish("t", "x");
			assertThat(broadcaster.topics().get("t").capacity()).isEqualTo(3);
		});
	}

	@Test
	void topicNamingAnUnknownPathVariableFailsStartUp() {
		this.runner.withBean(BadTopic.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure)).contains(
					"@SseEndpoint BadTopic.room has topic \"room.{name}\" with {name}, but its path \"/rooms/{room}\" "
							+ "has no such variable")));
	}

	@Test
	void nonVoidEndpointMethodFailsStartUp() {
		this.runner.withBean(NonVoid.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure)).contains("returns String: it must return void")
				.contains("return a Publisher")
				.contains("or an SseRun")));
	}

	@Test
	void anEndpointForAnotherMethodThanGetOrPostFailsStartUp() {
		this.runner.withBean(PutEndpoint.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure))
				.contains("@SseEndpoint method PutEndpoint.stream has method = PUT: an event stream answers GET")));
	}

	@Test
	void topicTemplatesThatCouldNameOneTopicFailStartUp() {
		this.runner.withBean(AmbiguousTopics.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure)).contains("@SseEndpoint topics \"room.admin.{x}\"")
				.contains("\"room.{room}.{x}\"")
				.contains("can name the same topic")));
	}

	@Test
	void aPlaceholderNextToTextFailsStartUp() {
		this.runner.withBean(RunTogether.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure))
			.contains("has topic \"room{room}\" with {room} next to other text")));
	}

	@Test
	void templatesOfOneShapeMayShareTopics() {
		this.runner.withBean(SharedTopic.class).run((context) -> assertThat(context).hasNotFailed());
	}

	static class AmbiguousTopics {

		@SseEndpoint(path = "/admin/{x}", topic = "room.admin.{x}")
		void admin(EventChannel channel) {
		}

		@SseEndpoint(path = "/rooms/{room}/{x}", topic = "room.{room}.{x}")
		void room(EventChannel channel) {
		}

	}

	static class RunTogether {

		@SseEndpoint(path = "/rooms/{room}", topic = "room{room}")
		void room(EventChannel channel) {
		}

	}

	static class SharedTopic {

		@SseEndpoint(path = "/rooms/{room}", topic = "room.{room}")
		void room(EventChannel channel) {
		}

		@SseEndpoint(path = "/chat/{id}", topic = "room.{id}")
		void chat(EventChannel channel) {
		}

		@SseEndpoint(path = "/rooms/{room}/admin", topic = "room.{room}.admin")
		void admin(EventChannel channel) {
		}

	}

	@Test
	void anOutputStreamParameterFailsStartUp() {
		this.runner.withBean(TakesTheBody.class).run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.satisfies((failure) -> assertThat(causes(failure))
			.contains("takes OutputStream: an event stream's body is "
					+ "written by sse-boot; send events through the EventChannel")));
	}

	static class TakesTheBody {

		@SseEndpoint("/body")
		void body(EventChannel channel, OutputStream body) {
		}

	}

	static class BadTopic {

		@SseEndpoint(path = "/rooms/{room}", topic = "room.{name}")
		void room(EventChannel channel) {
		}

	}

	static class PutEndpoint {

		@SseEndpoint(path = "/put", method = RequestMethod.PUT)
		void stream(EventChannel channel) {
		}

	}

	static class NonVoid {

		@SseEndpoint("/nonvoid")
		String stream(EventChannel channel) {
			return "no";
		}

	}

	@Test
	void serialisesObjectsWithTheApplicationsJsonMapper() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(JsonMapper.class);
			SseEncoder encoder = context.getBean(SseEncoder.class);
			assertThat(new String(encoder.encode(SseEvent.of(Map.of("a", 1))))).isEqualTo("data: {\"a\":1}\n\n");
		});
	}

	@Test
	void fallsBackToTextWithoutJackson() {
		this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context).hasSingleBean(SseEncoder.class)
				.doesNotHaveBean(SseDataSerializer.class));
	}

	@Test
	void bindsEveryPropertyByTheKeyUsersType() {
		this.runner
			.withPropertyValues("sse.heartbeat.interval=10s", "sse.buffer.size=32", "sse.buffer.overflow=drop-oldest",
					"sse.buffer.send-timeout=250ms", "sse.timeout=30m", "sse.retry=2s", "sse.max-connections=50",
					"sse.replay.size=7", "sse.metrics.enabled=false")
			.run((context) -> {
				SseProperties properties = context.getBean(SseProperties.class);
				assertThat(properties.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getBuffer().getSize()).isEqualTo(32);
				assertThat(properties.getBuffer().getOverflow()).isEqualTo(OverflowPolicy.DROP_OLDEST);
				assertThat(properties.getBuffer().getSendTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getTimeout()).isEqualTo(Duration.ofMinutes(30));
				assertThat(properties.getRetry()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getMaxConnections()).isEqualTo(50);
				assertThat(properties.getReplay().getSize()).isEqualTo(7);
				assertThat(properties.getMetrics().isEnabled()).isFalse();
				assertThat(context.getBean(SseStreams.class).maxConnections()).isEqualTo(50);
			});
	}

	@Test
	void defaultsAreTheCoreConstants() {
		SseProperties properties = new SseProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getHeartbeat().getInterval()).isEqualTo(SseDefaults.HEARTBEAT_INTERVAL);
		assertThat(properties.getBuffer().getSize()).isEqualTo(SseDefaults.BUFFER_SIZE);
		assertThat(properties.getBuffer().getOverflow()).isEqualTo(SseDefaults.OVERFLOW);
		assertThat(properties.getBuffer().getSendTimeout()).isEqualTo(SseDefaults.SEND_TIMEOUT);
		assertThat(properties.getMaxConnections()).isEqualTo(SseDefaults.MAX_CONNECTIONS);
		assertThat(properties.getReplay().getSize()).isEqualTo(SseDefaults.REPLAY_SIZE);
		assertThat(properties.getTimeout()).isNull();
		assertThat(properties.getRetry()).isNull();
		assertThat(properties.getMetrics().isEnabled()).isTrue();
		assertThat(properties.getRefusal().getRetry()).isEqualTo(SseDefaults.REFUSAL_RETRY);
		assertThat(properties.getRefusal().getMode()).isEqualTo(SseProperties.Refusal.Mode.RETRY);
	}

	@Test
	void metadataDocumentsEveryPropertyWithTheCoreDefaults() throws Exception {
		Map<String, Map<String, Object>> metadata = new HashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			@SuppressWarnings("unchecked")
			Map<String, Object> json = JsonMapper.builder().build().readValue(in, Map.class);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> properties = (List<Map<String, Object>>) json.get("properties");
			properties.forEach((property) -> metadata.put((String) property.get("name"), property));
		}
		assertThat(metadata.keySet()).contains("sse.enabled", "sse.heartbeat.interval", "sse.buffer.size",
				"sse.buffer.overflow", "sse.buffer.send-timeout", "sse.timeout", "sse.retry", "sse.max-connections",
				"sse.max-connections-per-client", "sse.replay.size", "sse.replay.idle-expiry", "sse.replay.max-bytes",
				"sse.metrics.enabled", "sse.redis.enabled");
		assertThat(metadata.values()).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name")).isNotBlank());
		assertThat(metadata.get("sse.heartbeat.interval").get("defaultValue"))
			.isEqualTo(SseDefaults.HEARTBEAT_INTERVAL.toSeconds() + "s");
		assertThat(metadata.get("sse.buffer.size").get("defaultValue")).isEqualTo(SseDefaults.BUFFER_SIZE);
		assertThat(metadata.get("sse.buffer.overflow").get("defaultValue"))
			.isEqualTo(SseDefaults.OVERFLOW.name().toLowerCase());
		assertThat(metadata.get("sse.buffer.send-timeout").get("defaultValue"))
			.isEqualTo(SseDefaults.SEND_TIMEOUT.toSeconds() + "s");
		assertThat(metadata.get("sse.max-connections").get("defaultValue")).isEqualTo(SseDefaults.MAX_CONNECTIONS);
		assertThat(metadata.get("sse.replay.size").get("defaultValue")).isEqualTo(SseDefaults.REPLAY_SIZE);
		assertThat(metadata.get("sse.replay.idle-expiry").get("defaultValue"))
			.isEqualTo(SseDefaults.REPLAY_IDLE_EXPIRY.toMinutes() + "m");
		assertThat(metadata.get("sse.replay.max-bytes").get("defaultValue"))
			.isEqualTo((SseDefaults.REPLAY_MAX_BYTES / 1024 / 1024) + "MB");
		assertThat(metadata.get("sse.refusal.retry").get("defaultValue"))
			.isEqualTo(SseDefaults.REFUSAL_RETRY.toSeconds() + "s");
		assertThat(metadata.get("sse.refusal.mode").get("defaultValue")).isEqualTo("retry");
	}

	@Test
	void metadataHintsEveryOverflowPolicyAndEveryRefusalMode() throws Exception {
		Map<String, List<String>> hints = new HashMap<>();
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> json = JsonMapper.builder().build().readValue(in, Map.class);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> all = (List<Map<String, Object>>) json.get("hints");
			for (Map<String, Object> hint : all) {
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> values = (List<Map<String, Object>>) hint.get("values");
				hints.put((String) hint.get("name"),
						values.stream().map((value) -> (String) value.get("value")).toList());
			}
		}
		assertThat(hints.get("sse.buffer.overflow")).containsExactlyInAnyOrderElementsOf(Arrays
			.stream(OverflowPolicy.values()).map((policy) -> policy.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.toList());
		assertThat(hints.get("sse.refusal.mode")).containsExactlyInAnyOrderElementsOf(Arrays
			.stream(SseProperties.Refusal.Mode.values()).map((mode) -> mode.name().toLowerCase(Locale.ROOT)).toList());
	}

	@Test
	void bindsTheLimitPerClientAndHasNoneByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(SseStreams.class).maxConnectionsPerClient())
			.isEqualTo(Integer.MAX_VALUE));
		this.runner.withPropertyValues("sse.max-connections-per-client=3")
			.run((context) -> assertThat(context.getBean(SseStreams.class).maxConnectionsPerClient()).isEqualTo(3));
	}

	@Test
	void invalidValuesFailStartUpNamingTheProperty() {
		for (String bad : List.of("sse.buffer.size=0", "sse.max-connections=-1", "sse.max-connections-per-client=0",
				"sse.timeout=0s",
				"sse.retry=-1s", "sse.heartbeat.interval=-5s", "sse.replay.size=-1", "sse.buffer.send-timeout=-1s",
				"sse.replay.idle-expiry=0s", "sse.replay.max-bytes=0B")) {
			String key = bad.substring(0, bad.indexOf('='));
			this.runner.withPropertyValues(bad).run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((failure) -> assertThat(causes(failure)).as(bad).contains(key)));
		}
		this.runner.withPropertyValues("sse.buffer.overflow=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.satisfies((failure) -> assertThat(causes(failure)).contains("sse.buffer.overflow")));
	}

	private static String causes(Throwable failure) {
		StringBuilder all = new StringBuilder();
		for (Throwable t = failure; t != null; t = t.getCause()) {
			all.append(t.getMessage()).append('\n');
		}
		return all.toString();
	}

}

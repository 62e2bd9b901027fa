package dev.sseboot.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in formats' exact bytes, for a publisher streamed into a channel and for a run attached in a format:
 * start frames, one frame per item with the run's id kept, end frames with {@code [DONE]}, and the error frames.
 */
class SseFormatsTests extends AbstractManualChannelTests {

	private static final Pattern CREATED = Pattern.compile("\"created\":(\\d+),");

	private DefaultEventChannel channel() {
		return channel(16, OverflowPolicy.BLOCK, Duration.ofSeconds(5));
	}

	@Test
	void openAiChatWritesChunksThenStopThenDone() {
		DefaultEventChannel channel = channel();
		ManualPublisher publisher = new ManualPublisher();
		channel.stream(publisher, PublisherSubscriber::defaultErrorEvent,
				SseFormats.openAiChat("gpt-test").open("s1"));
		channel.start();
		this.manual.runAll();
		publisher.emit("Hel", "lo \"you\"\n");
		publisher.complete();
		this.manual.runAll();
		String text = this.transport.text();
		String created = created(text);
		String head = "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":" + created
				+ ",\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":";
		assertThat(text).isEqualTo(head + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
				+ "\"finish_reason\":null}]}\n\n" + head
				+ "{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
				+ head + "{\"content\":\"lo \\\"you\\\"\\n\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" + head
				+ "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n" + "data: [DONE]\n\n");
		assertThat(this.closes).containsExactly(CloseReason.COMPLETED);
	}

	@Test
	void openAiChatTellsAnErrorAsOpenAisErrorObject() {
		DefaultEventChannel channel = channel();
		ManualPublisher publisher = new ManualPublisher();
		channel.stream(publisher, PublisherSubscriber::defaultErrorEvent,
				SseFormats.openAiChat("gpt-test").open("s1"));
		channel.start();
		this.manual.runAll();
		publisher.fail(new IllegalStateException("the model is overloaded"));
		this.manual.runAll();
		assertThat(this.transport.text()).endsWith("\n\ndata: {\"error\":{\"message\":\"the model is overloaded\","
				+ "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
		assertThat(this.closes).containsExactly(CloseReason.ERROR);
	}

	@Test
	void aiSdkUiWritesItsPartsThenDone() {
		DefaultEventChannel channel = channel();
		ManualPublisher publisher = new ManualPublisher();
		channel.stream(publisher, PublisherSubscriber::defaultErrorEvent, SseFormats.aiSdkUi().open("s2"));
		channel.start();
		this.manual.runAll();
		publisher.emit("Hi", " there\u2028", SseEvent.of("{\"type\":\"data-note\",\"data\":{\"n\":1}}"));
		publisher.complete();
		this.manual.runAll();
		assertThat(this.transport.text()).isEqualTo("data: {\"type\":\"start\"}\n\n"
				+ "data: {\"type\":\"text-start\",\"id\":\"text-s2\"}\n\n"
				+ "data: {\"type\":\"text-delta\",\"id\":\"text-s2\",\"delta\":\"Hi\"}\n\n"
				+ "data: {\"type\":\"text-delta\",\"id\":\"text-s2\",\"delta\":\" there\\u2028\"}\n\n"
				+ "data: {\"type\":\"data-note\",\"data\":{\"n\":1}}\n\n"
				+ "data: {\"type\":\"text-end\",\"id\":\"text-s2\"}\n\n" + "data: {\"type\":\"finish\"}\n\n"
				+ "data: [DONE]\n\n");
		assertThat(SseFormats.aiSdkUi().headers()).containsEntry("x-vercel-ai-ui-message-stream", "v1");
	}

	@Test
	void aiSdkUiTellsAnErrorAsAnErrorPartThenDone() {
		DefaultEventChannel channel = channel();
		ManualPublisher publisher = new ManualPublisher();
		channel.stream(publisher, PublisherSubscriber::defaultErrorEvent, SseFormats.aiSdkUi().open("s2"));
		channel.start();
		this.manual.runAll();
		publisher.emit("Hi");
		publisher.fail(new IllegalStateException("quota \"exceeded\""));
		this.manual.runAll();
		assertThat(this.transport.text()).endsWith("\"delta\":\"Hi\"}\n\n"
				+ "data: {\"type\":\"error\",\"errorText\":\"quota \\\"exceeded\\\"\"}\n\n" + "data: [DONE]\n\n");
		assertThat(this.closes).containsExactly(CloseReason.ERROR);
	}

	@Test
	void aRunAttachedInAFormatKeepsItsIdsOnEachFrameSoAClientCanResume() {
		ManualTimer timer = new ManualTimer();
		InMemorySseRuns runs = new InMemorySseRuns(Duration.ofSeconds(30), Duration.ofMinutes(1), 100, timer,
				this.manual);
		ManualPublisher publisher = new ManualPublisher();
		SseRun run = runs.start(publisher);
		this.manual.runAll();
		publisher.emit("a", "b", "c");
		publisher.complete();
		DefaultEventChannel channel = channel();
		assertThat(run.attach(channel, run.id() + ":0", SseFormats.aiSdkUi())).isTrue();
		channel.start();
		this.manual.runAll();
		String text = "text-" + run.id();
		assertThat(this.transport.text()).isEqualTo("data: {\"type\":\"start\"}\n\n"
				+ "data: {\"type\":\"text-start\",\"id\":\"" + text + "\"}\n\n" + "id: " + run.id()
				+ ":1\ndata: {\"type\":\"text-delta\",\"id\":\"" + text + "\",\"delta\":\"b\"}\n\n" + "id: "
				+ run.id() + ":2\ndata: {\"type\":\"text-delta\",\"id\":\"" + text + "\",\"delta\":\"c\"}\n\n"
				+ "data: {\"type\":\"text-end\",\"id\":\"" + text + "\"}\n\n" + "data: {\"type\":\"finish\"}\n\n"
				+ "data: [DONE]\n\n");
		assertThat(run.attach(channel(), run.id() + ":2", SseFormats.aiSdkUi())).isFalse();
	}

	@Test
	void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
		assertThat(Json.quote("a\"b\\c\n\r\t\b\f\u0001\u2029é"))
			.isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u2029é\"");
	}

	private static String created(String text) {
		Matcher matcher = CREATED.matcher(text);
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

}

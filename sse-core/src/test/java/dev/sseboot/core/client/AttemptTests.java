package dev.sseboot.core.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which responses end a client for good, as a browser's EventSource decides: no server needed. */
class AttemptTests {

	@Test
	void aStreamIs200WithTheEventStreamTypeWhateverItsParametersAndCase() {
		assertThat(Attempt.refusal(200, "text/event-stream")).isNull();
		assertThat(Attempt.refusal(200, "text/event-stream;charset=utf-8")).isNull();
		assertThat(Attempt.refusal(200, "Text/Event-Stream")).isNull();
	}

	@Test
	void noContentAsksTheClientToStop() {
		assertThat(Attempt.refusal(204, "")).isEqualTo("204 No Content: the server asked the client to stop");
	}

	@Test
	void anyOtherStatusStopsTheClientEvenWithTheRightType() {
		assertThat(Attempt.refusal(500, "text/event-stream"))
			.isEqualTo("HTTP 500: not 200, so the client stops as a browser does");
		assertThat(Attempt.refusal(301, "text/event-stream")).startsWith("HTTP 301");
		assertThat(Attempt.refusal(201, "text/event-stream")).startsWith("HTTP 201");
	}

	@Test
	void aWrongOrMissingTypeStopsTheClient() {
		assertThat(Attempt.refusal(200, "text/plain"))
			.isEqualTo("Content-Type \"text/plain\" is not text/event-stream, so the client stops");
		assertThat(Attempt.refusal(200, "")).startsWith("Content-Type \"\"");
		assertThat(Attempt.refusal(200, "application/text/event-stream")).isNotNull();
	}

}

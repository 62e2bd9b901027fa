package dev.sseboot.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import dev.sseboot.core.SseExecutors;
import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** With spring.threads.virtual.enabled=true, writes run on virtual threads on JDK 21+; JDK 17 ignores it. */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=true")
class VirtualThreadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestApplications.Observed observed;

	@Test
	void writesOnVirtualThreadsWhereTheJdkHasThem() throws Exception {
		this.observed.writers.clear();
		try (SseStream stream = SseTestClient.local(this.port).open("/ticks?count=2")) {
			stream.awaitEnd(Duration.ofSeconds(10));
			assertThat(stream.events()).hasSize(2);
		}
		List<Thread> writers = List.copyOf(this.observed.writers);
		assertThat(writers).isNotEmpty();
		boolean expectVirtual = SseExecutors.virtualThreadsAvailable();
		assertThat(writers).allSatisfy((thread) -> assertThat(isVirtual(thread)).isEqualTo(expectVirtual));
		System.out.println("Java " + Runtime.version().feature() + ": SSE writes ran on "
				+ (expectVirtual ? "virtual" : "platform") + " threads");
	}

	private static boolean isVirtual(Thread thread) {
		try {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (boolean) isVirtual.invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

}

package dev.sseboot.web.servlet;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import dev.sseboot.test.SseStream;
import dev.sseboot.test.SseTestClient;
import dev.sseboot.testsupport.TestApplications;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true} (which makes Tomcat's request threads virtual on JDK 21+), writes
 * still run on sse-boot's CPU-sized pool of platform threads: no write waits on a client, so a virtual thread per
 * drain would only cost (see {@code SseExecutors}).
 */
@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=true")
class VirtualThreadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestApplications.Observed observed;

	@Test
	void writesOnTheDrainPoolWhateverTheRequestThreadsAre() throws Exception {
		this.observed.writers.clear();
		try (SseStream stream = SseTestClient.local(this.port).open("/ticks?count=2")) {
			stream.awaitEnd(Duration.ofSeconds(10));
			assertThat(stream.events()).hasSize(2);
		}
		List<Thread> writers = List.copyOf(this.observed.writers);
		assertThat(writers).isNotEmpty();
		assertThat(writers).allSatisfy((thread) -> {
			assertThat(thread.getName()).startsWith("sse-drain-");
			assertThat(isVirtual(thread)).isFalse();
		});
	}

	private static boolean isVirtual(Thread thread) {
		try {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (boolean) isVirtual.invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.sseboot.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample instances on one real redis-server, as README's multi-node mode runs them: a page on one instance asks,
 * a page on the other follows the same run and presses Stop, and the generator stops where it runs.
 */
class TwoInstancesBrowserTests {

	private static final File REDIS = new File("/usr/bin/redis-server");

	@Test
	void stopPressedOnTheOtherInstanceCancelsTheGeneratorWhereItRuns() throws Exception {
		try (Redis redis = Redis.start();
				ConfigurableApplicationContext owner = instance(redis);
				ConfigurableApplicationContext other = instance(redis);
				Browser asker = Browser.start();
				Browser follower = Browser.start()) {
			asker.driver.get(page(owner) + "&every=100");
			asker.driver.findElement(By.id("assistant-prompt")).sendKeys("stop me from elsewhere");
			asker.driver.findElement(By.id("assistant-ask")).click();
			asker.await((d) -> tokensShown(asker) >= 3);
			String run = asker.driver.findElement(By.id("assistant-answer")).getDomAttribute("data-run");
			assertThat(run).matches("[A-Za-z0-9_-]{22}");

			// the other instance has never seen the run: it follows it through Redis
			follower.driver.get(page(other) + "&every=100&run=" + run);
			follower.await((d) -> tokensShown(follower) >= tokensShown(asker) && tokensShown(follower) >= 6);
			follower.driver.findElement(By.id("assistant-stop")).click();
			follower.await((d) -> text(follower, "#assistant-report").startsWith("Stopped:"));
			assertThat(text(follower, "#assistant-report"))
				.matches("Stopped: the instance that runs the generator cancelled it \\(\\d+ shown here\\)\\.");

			// the asker's stream ends, and its instance reports the generator cancelled long before the answer's end
			asker.await((d) -> text(asker, "#assistant-report").startsWith("Ended:"));
			String report = text(asker, "#assistant-report");
			assertThat(report).matches("Ended: the server's generator was cancelled after \\d+ tokens\\.");
			long generated = Long.parseLong(report.replaceAll("\\D+", ""));
			int words = Assistant.answerTo("stop me from elsewhere").split(" ").length;
			assertThat(generated).isGreaterThanOrEqualTo(6).isLessThan(words / 2);
			assertThat(get(owner, "/assistant/runs/" + run + "/report"))
				.contains("\"state\":\"cancelled\"", "\"tokens\":" + generated);
			assertThat(get(other, "/assistant/runs/" + run + "/report"))
				.contains("\"state\":\"cancelled\"", "\"tokens\":null");
			follower.screenshot("assistant-stopped-elsewhere");
		}
	}

	private static ConfigurableApplicationContext instance(Redis redis) {
		return new SpringApplicationBuilder(SampleApplication.class).profiles("redis")
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.data.redis.port=" + redis.port);
	}

	private static String base(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
	}

	private static String page(ConfigurableApplicationContext instance) {
		return base(instance) + "/?room=two-instances";
	}

	private static String get(ConfigurableApplicationContext instance, String path) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		return client.send(HttpRequest.newBuilder(URI.create(base(instance) + path)).build(),
				HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static String text(Browser browser, String css) {
		return browser.driver.findElement(By.cssSelector(css)).getText();
	}

	private static int tokensShown(Browser browser) {
		String tokens = browser.driver.findElement(By.id("assistant-answer")).getDomAttribute("data-tokens");
		return (tokens != null) ? Integer.parseInt(tokens) : 0;
	}

	/**
	 * Debian's redis-server on a free loopback port, with no persistence, stopped by its PID. Where it is missing
	 * the test is skipped, except with {@code CI=true}, where it fails.
	 */
	private record Redis(Process process, int port, Path dir) implements AutoCloseable {

		static Redis start() throws IOException {
			if (!"true".equals(System.getenv("CI"))) {
				Assumptions.assumeTrue(REDIS.canExecute(), "redis-server is not installed (bash .ci/run installs it)");
			}
			int port;
			try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = free.getLocalPort();
			}
			Path dir = Files.createTempDirectory("sample-redis");
			Process process = new ProcessBuilder(REDIS.getPath(), "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("redis.log").toFile())
				.start();
			Redis redis = new Redis(process, port, dir);
			await().atMost(Duration.ofSeconds(20)).until(redis::accepts);
			return redis;
		}

		private boolean accepts() {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		@Override
		public void close() throws Exception {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			Files.deleteIfExists(this.dir.resolve("redis.log"));
			Files.deleteIfExists(this.dir);
		}

	}

}

package dev.sseboot.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium from Debian's packages, driven by Debian's chromedriver (Selenium Manager never runs). Where
 * they are missing the test is skipped, except with {@code CI=true}, where it fails.
 */
final class Browser implements AutoCloseable {

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	final ChromeDriver driver;

	private final Path profile;

	private Browser(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	static Browser start() throws IOException {
		boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
		if (!"true".equals(System.getenv("CI"))) {
			Assumptions.assumeTrue(present,
					"chromium and chromium-driver are not installed (bash .ci/run installs them)");
		}
		System.setProperty("SE_OFFLINE", "true");
		Path profile = Files.createTempDirectory("sse-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1200,1000", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
			.usingAnyFreePort().build();
		return new Browser(new ChromeDriver(service, options), profile);
	}

	/** Waits up to 20 s; on timeout saves a screenshot and fails with the page's text. */
	<T> T await(Function<WebDriver, T> condition) {
		try {
			return new WebDriverWait(this.driver, Duration.ofSeconds(20)).until(condition::apply);
		}
		catch (TimeoutException ex) {
			try {
				screenshot("timeout-" + System.currentTimeMillis());
			}
			catch (IOException ignored) {
				// the text below is enough to diagnose
			}
			throw new AssertionError("Page did not reach the expected state within 20 s. It shows:\n"
					+ this.driver.findElement(By.tagName("body")).getText(), ex);
		}
	}

	/** Saves a screenshot under target/screenshots. */
	void screenshot(String name) throws IOException {
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

	@Override
	public void close() throws IOException {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}

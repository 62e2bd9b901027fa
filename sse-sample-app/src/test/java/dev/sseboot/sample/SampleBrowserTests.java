package dev.sseboot.sample;

import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample page in a real browser: every demo works and shows its state. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleBrowserTests {

	@LocalServerPort
	int port;

	private String page(String room) {
		return "http://127.0.0.1:" + this.port + "/?room=" + room;
	}

	private static String text(Browser browser, String css) {
		return browser.driver.findElement(By.cssSelector(css)).getText();
	}

	@Test
	void pageReceivesClockTicksAndShowsTheConnectionOpen() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("clock"));
			browser.await((d) -> text(browser, "#clock-ticks").startsWith("3 "));
			assertThat(text(browser, "#clock-time")).matches("\\d\\d:\\d\\d:\\d\\d");
			assertThat(text(browser, "[data-state=clock]")).isEqualToIgnoringCase("open");
			assertThat(text(browser, "[data-state=chat]")).isEqualToIgnoringCase("open");
			browser.screenshot("clock");
		}
	}

	@Test
	void theAssistantStreamsAnAnswerToAPostAndStopCancelsTheGenerator() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("assistant"));
			browser.driver.findElement(By.id("assistant-prompt")).sendKeys("why is the sky blue");
			browser.driver.findElement(By.id("assistant-ask")).click();
			// a real fetch stream: words arrive one by one
			browser.await((d) -> text(browser, "#assistant-answer").startsWith("You asked: \"why is the sky blue\"."));
			browser.await((d) -> tokensShown(browser) >= 8);
			browser.driver.findElement(By.id("assistant-stop")).click();
			browser.await((d) -> text(browser, "#assistant-report").startsWith("Stopped:"));
			String report = text(browser, "#assistant-report");
			assertThat(report).matches("Stopped: the server's generator saw its cancellation after \\d+ tokens "
					+ "\\(\\d+ shown here\\)\\.");
			long generated = Long.parseLong(report.replaceAll(".* after (\\d+) tokens.*", "$1"));
			long shown = Long.parseLong(report.replaceAll(".*\\((\\d+) shown here.*", "$1"));
			// the generator stopped soon after the page did, far before the answer's end (over 150 words)
			assertThat(generated).isGreaterThanOrEqualTo(shown).isLessThan(shown + 20);
			assertThat(text(browser, "[data-state=assistant]")).isEqualToIgnoringCase("stopped");
			browser.screenshot("assistant-stopped");
		}
	}

	@Test
	void aRefreshDuringAnAnswerReAttachesAndFinishesItWithNothingMissedOrRepeated() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("assistant-refresh") + "&every=25");
			browser.driver.findElement(By.id("assistant-prompt")).sendKeys("tell me about refreshes");
			browser.driver.findElement(By.id("assistant-ask")).click();
			browser.await((d) -> tokensShown(browser) >= 5);
			browser.driver.navigate().refresh();
			browser.await((d) -> text(browser, "#assistant-report").startsWith("Complete:"));
			assertThat(text(browser, "#assistant-report")).contains("re-attached after a refresh");
			assertThat(text(browser, "#assistant-answer")).isEqualTo(Assistant.answerTo("tell me about refreshes"));
			browser.screenshot("assistant-reattached");
		}
	}

	@Test
	void aSecondTabFollowsTheSameRunAndBothFinishTheAnswer() throws Exception {
		try (Browser first = Browser.start(); Browser second = Browser.start()) {
			first.driver.get(page("assistant-tabs") + "&every=40");
			first.driver.findElement(By.id("assistant-prompt")).sendKeys("two tabs, one answer");
			first.driver.findElement(By.id("assistant-ask")).click();
			first.await((d) -> tokensShown(first) >= 3);
			String run = first.driver.findElement(By.id("assistant-answer")).getDomAttribute("data-run");
			assertThat(run).matches("[A-Za-z0-9_-]{22}");
			assertThat(first.driver.findElement(By.id("assistant-watch")).getDomAttribute("href"))
				.endsWith("run=" + run);
			// the link's page, in another browser: it attaches to the same run from its start
			second.driver.get(page("assistant-tabs") + "&every=40&run=" + run);
			for (Browser browser : List.of(first, second)) {
				browser.await((d) -> text(browser, "#assistant-report").startsWith("Complete:"));
				assertThat(text(browser, "#assistant-answer"))
					.isEqualTo(Assistant.answerTo("two tabs, one answer"));
			}
			assertThat(text(second, "#assistant-report")).contains("attached from another tab");
			second.screenshot("assistant-second-tab");
		}
	}

	private static int tokensShown(Browser browser) {
		String tokens = browser.driver.findElement(By.id("assistant-answer")).getDomAttribute("data-tokens");
		return (tokens != null) ? Integer.parseInt(tokens) : 0;
	}

	/**
	 * One EventSource on five topics (the chat room and four feeds): the page reloads mid-stream, passes its last id
	 * as ?lastEventId=, and every topic goes on from where it was, numbered without a gap or a repeat.
	 */
	@Test
	void oneEventSourceOnFiveTopicsResumesEveryTopicAfterAReload() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("dashboard"));
			browser.await((d) -> text(browser, "[data-state=chat]").equalsIgnoreCase("open")
					&& text(browser, "[data-state=dashboard]").equalsIgnoreCase("open"));
			say(browser, "before the reload");
			browser.await((d) -> totalOnTheBoard(browser) >= 13 && text(browser, "#dashboard-table").contains("chat"));
			browser.driver.navigate().refresh();
			browser.await((d) -> text(browser, "#dashboard-integrity").contains("1 reload(s)")
					&& text(browser, "[data-state=dashboard]").equalsIgnoreCase("open"));
			int atReload = totalOnTheBoard(browser);
			browser.await((d) -> text(browser, "[data-state=chat]").equalsIgnoreCase("open"));
			say(browser, "after the reload");
			browser.await((d) -> totalOnTheBoard(browser) >= atReload + 12
					&& text(browser, "#dashboard-table").contains("chat.dashboard 2"));
			assertThat(text(browser, "#dashboard-integrity")).startsWith("No gaps, no duplicates: ")
				.endsWith(" events on 5 topics, 1 reload(s).");
			// read in one script: the feeds go on publishing, and each event rebuilds the rows, so rows found by one
			// command may be gone by the next (a stale element)
			Object topics = browser.driver.executeScript("return Array.from(document.querySelectorAll("
					+ "'#dashboard-table tbody tr')).map((row) => row.cells[0].textContent);");
			assertThat(topics).asInstanceOf(InstanceOfAssertFactories.list(String.class))
				.containsExactly("chat.dashboard", "feed.news", "feed.prices", "feed.traffic", "feed.weather");
			browser.screenshot("dashboard-after-reload");
		}
	}

	private static void say(Browser browser, String text) {
		browser.driver.findElement(By.id("chat-author")).clear();
		browser.driver.findElement(By.id("chat-author")).sendKeys("me");
		browser.driver.findElement(By.id("chat-text")).sendKeys(text);
		browser.driver.findElement(By.id("chat-send")).click();
	}

	private static int totalOnTheBoard(Browser browser) {
		String total = browser.driver.findElement(By.id("dashboard-integrity")).getDomAttribute("data-total");
		return (total != null) ? Integer.parseInt(total) : 0;
	}

	@Test
	void messagePostedInOneWindowAppearsInTheOther() throws Exception {
		try (Browser alice = Browser.start(); Browser bob = Browser.start()) {
			alice.driver.get(page("two-windows"));
			bob.driver.get(page("two-windows"));
			for (Browser browser : List.of(alice, bob)) {
				browser.await((d) -> text(browser, "[data-state=chat]").equalsIgnoreCase("open")
						&& !text(browser, "#connection-id").contains("waiting"));
			}
			alice.driver.findElement(By.id("chat-author")).sendKeys("alice");
			alice.driver.findElement(By.id("chat-text")).sendKeys("hello from window one");
			alice.driver.findElement(By.id("chat-send")).click();
			bob.await((d) -> text(bob, "#chat-log").contains("hello from window one"));
			alice.await((d) -> text(alice, "#chat-log").contains("hello from window one"));
			assertThat(text(bob, "#chat-log")).contains("#1").contains("alice");
			assertThat(text(bob, "#chat-integrity")).startsWith("No gaps, no duplicates: 1 messages");
			alice.screenshot("chat-window-one");
			bob.screenshot("chat-window-two");
		}
	}

	@Test
	void forcedReconnectResumesFromLastEventIdWithoutAGap() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("resume"));
			browser.await((d) -> d.findElement(By.id("cut-button")).isEnabled());
			browser.driver.findElement(By.id("chat-author")).sendKeys("me");
			for (String text : List.of("before one", "before two")) {
				browser.driver.findElement(By.id("chat-text")).sendKeys(text);
				browser.driver.findElement(By.id("chat-send")).click();
				browser.await((d) -> text(browser, "#chat-log").contains(text));
			}
			browser.driver.findElement(By.id("cut-button")).click();
			WebElement status = browser.driver.findElement(By.id("resume-status"));
			browser.await((d) -> status.getText().contains("nothing missed"));
			assertThat(status.getText()).startsWith("Resumed from Last-Event-ID ").contains("received #3 to #5");
			assertThat(text(browser, "#chat-log")).contains("sent while you were away (3 of 3)")
				.contains("Reconnected: resumed from Last-Event-ID");
			assertThat(text(browser, "#chat-integrity")).isEqualTo("No gaps, no duplicates: 5 messages in order.");
			assertThat(text(browser, "[data-state=chat]")).isEqualToIgnoringCase("open");
			browser.screenshot("resume");
		}
	}

	@Test
	void metersPanelUpdatesLive() throws Exception {
		try (Browser browser = Browser.start()) {
			browser.driver.get(page("meters"));
			browser.await((d) -> Integer.parseInt(text(browser, "#meters-updates")) >= 3);
			// in one script, as the rows are rebuilt with every update
			Object rows = browser.driver.executeScript("return Array.from(document.querySelectorAll("
					+ "'#meters-table tbody tr')).map((row) => Array.from(row.cells, (cell) => cell.textContent)"
					+ ".join(' '));");
			assertThat(rows).asInstanceOf(InstanceOfAssertFactories.list(String.class))
				.anySatisfy((row) -> assertThat(row).startsWith("/clock 1"))
				.anySatisfy((row) -> assertThat(row).startsWith("/meters 1"));
			String before = text(browser, "#meters-table");
			browser.await((d) -> !text(browser, "#meters-table").equals(before));
			browser.screenshot("meters");
		}
	}

}

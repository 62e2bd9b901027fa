package dev.sseboot.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet of README.md is the text of a region of a source file in this package, which the build compiles
 * (and {@code TickerTests} runs): a snippet that does not compile cannot be in README, and one changed in README
 * alone fails here. Regions are written with tabs, README with four spaces per tab.
 */
class ReadmeSnippetsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path SOURCES = Path.of("src", "test", "java", "dev", "sseboot", "docs");

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

	private static final Pattern REGION = Pattern.compile("[ \t]*// tag::([a-z-]+)\\[]\n(.*?)[ \t]*// end::\\1\\[]",
			Pattern.DOTALL);

	@Test
	void everyJavaSnippetOfTheReadmeIsARegionOfACompiledSource() throws IOException {
		List<String> snippets = new ArrayList<>();
		Matcher blocks = JAVA_BLOCK.matcher(Files.readString(README));
		while (blocks.find()) {
			snippets.add(blocks.group(1));
		}
		List<String> regions = new ArrayList<>();
		try (Stream<Path> files = Files.list(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				Matcher region = REGION.matcher(Files.readString(file));
				while (region.find()) {
					regions.add(asInReadme(region.group(2)));
				}
			}
		}
		assertThat(snippets).as("README's Java snippets").isNotEmpty();
		assertThat(snippets).as("each snippet of README, as a compiled region (src/test/java/dev/sseboot/docs)")
			.containsExactlyInAnyOrderElementsOf(regions);
	}

	/** The region without its common indentation, each further tab four spaces, as README shows code. */
	static String asInReadme(String region) {
		List<String> lines = region.lines().toList();
		int common = lines.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt(ReadmeSnippetsTests::indentation)
			.min()
			.orElse(0);
		StringBuilder text = new StringBuilder();
		for (String line : lines) {
			String rest = line.isBlank() ? "" : line.substring(common);
			int tabs = 0;
			while (tabs < rest.length() && rest.charAt(tabs) == '\t') {
				tabs++;
			}
			text.append("    ".repeat(tabs)).append(rest.substring(tabs)).append('\n');
		}
		return text.toString();
	}

	private static int indentation(String line) {
		int tabs = 0;
		while (tabs < line.length() && line.charAt(tabs) == '\t') {
			tabs++;
		}
		return tabs;
	}

}

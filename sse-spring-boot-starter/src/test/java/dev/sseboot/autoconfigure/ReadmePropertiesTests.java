package dev.sseboot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's properties table against the configuration metadata the build generates (what IDEs show), so that the
 * two cannot drift: the same {@code sse.*} names with the same defaults.
 */
class ReadmePropertiesTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(sse\\.[a-z.-]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theTableListsEveryPropertyWithItsDefault() throws IOException {
		Map<String, String> documented = new TreeMap<>();
		Matcher row = ROW.matcher(propertiesSection(Files.readString(Path.of("../README.md"))));
		while (row.find()) {
			documented.put(row.group(1), row.group(2).trim());
		}
		Map<String, String> generated = new TreeMap<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("sse.")) {
				generated.put(name, readmeDefault(property.get("defaultValue")));
			}
		}
		assertThat(documented).isEqualTo(generated);
	}

	@Test
	void theActuatorPropertiesAreDocumented() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (name.startsWith("management.endpoint.sse.") && !name.endsWith(".access")) {
				assertThat(readme).as(name).contains("`" + name + "`");
			}
		}
	}

	@Test
	void additionalMetadataIsSortedByName() throws IOException {
		Path file = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
		JsonNode additional = JSON.readTree(Files.readString(file));
		for (String section : List.of("properties", "hints")) {
			List<String> names = new ArrayList<>();
			additional.get(section).forEach((entry) -> names.add(entry.get("name").asString()));
			assertThat(names).as(section).isSorted();
		}
	}

	/** From README's "### Properties" heading to the next heading. */
	private static String propertiesSection(String readme) {
		int start = readme.indexOf("\n### Properties\n");
		assertThat(start).as("README has a \"### Properties\" section").isNotNegative();
		int end = readme.indexOf("\n#", start + 1);
		return readme.substring(start, (end > 0) ? end : readme.length());
	}

	private static JsonNode metadata() throws IOException {
		return JSON.readTree(Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
	}

	/** A default as README writes it: {@code `value`}, or {@code none}. */
	private static String readmeDefault(JsonNode value) {
		return (value == null || value.isNull()) ? "none" : "`" + value.asString() + "`";
	}

}

package dev.sseboot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM users import manages every published module of the build, at the build's version, and nothing else
 * (no Spring Boot versions: those stay the application's choice).
 */
class BomTests {

	/** Modules of the build that are never published. */
	private static final List<String> UNPUBLISHED = List.of("sse-sample-app", "sse-benchmarks",
			"sse-boot-dependencies", "sse-system-tests");

	@Test
	void managesExactlyThePublishedModulesAtTheBuildsVersion() throws Exception {
		Document parent = read("../pom.xml");
		Document bom = read("../sse-boot-dependencies/pom.xml");
		List<String> published = new ArrayList<>(texts(parent.getDocumentElement(), "module"));
		published.removeAll(UNPUBLISHED);
		assertThat(published).contains("sse-core", "sse-spring-boot-starter", "sse-boot-test");

		List<String> managed = new ArrayList<>();
		NodeList dependencies = bom.getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			assertThat(child(dependency, "groupId")).isEqualTo("dev.sseboot");
			assertThat(child(dependency, "version")).isEqualTo("${project.version}");
			managed.add(child(dependency, "artifactId"));
		}
		assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
		assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(child(parent.getDocumentElement(), "version"));
		assertThat(bom.getElementsByTagName("parent").getLength()).as("the BOM has no parent").isZero();
	}

	private static Document read(String path) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of(path).toFile());
	}

	private static List<String> texts(Element root, String tag) {
		List<String> texts = new ArrayList<>();
		NodeList nodes = root.getElementsByTagName(tag);
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent().trim());
		}
		return texts;
	}

	/** The text of {@code element}'s direct child {@code tag}. */
	private static String child(Element element, String tag) {
		NodeList children = element.getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element child && child.getTagName().equals(tag)) {
				return child.getTextContent().trim();
			}
		}
		throw new AssertionError(element.getTagName() + " has no " + tag);
	}

}

package dev.sseboot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package layout that decides what is public, checked on the classes of sse-core, sse-boot-test and the starter:
 * what users write against is public, the Spring MVC adapter is internal, auto-configurations expose nothing.
 */
class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.sseboot");

	/** The public types of {@code dev.sseboot.web}: what users write against (annotations, records, SPIs, views). */
	private static final Set<String> WEB_API = Set.of("SseEndpoint", "SseDisconnect", "SseDisconnectListener",
			"SseBackendHealth", "SseConnectionObserver", "SseStreams", "SseEndpointDefinition", "SseTopicAuthorizer",
			"SseStreamObservationContext", "SseStreamObservationConvention", "DefaultSseStreamObservationConvention",
			"SseRefusal", "SseStreamInfo");

	/**
	 * The public types of the Spring MVC adapter: only the one entry point that sse-boot's auto-configuration creates,
	 * with its settings record; everything else there is package-private.
	 */
	private static final Set<String> SERVLET_ALLOWED = Set.of("SseWebMvcConfigurer", "SseWebMvcDefaults");

	/** The core's API: what an application writes against (see the package's javadoc). */
	private static final Set<String> CORE_API = Set.of("SseEvent", "SseEncoder", "SseDataSerializer", "EventChannel",
			"ChannelSettings", "OverflowPolicy", "CloseReason", "Broadcaster", "InMemoryBroadcaster", "TopicNames",
			"TooManyTopicsException", "SseDefaults", "SseRuns", "SseRun", "InMemorySseRuns", "SseFormat",
			"SseFormats");

	/** The core's SPI: what a web adapter or a broadcaster of one's own needs (see the package's javadoc). */
	private static final Set<String> CORE_SPI = Set.of("SseTransport", "DefaultEventChannel", "EventChannelBuilder",
			"ChannelListener", "Heartbeat", "SseExecutors", "TopicSubscribers", "EncodedEvents", "SseRunSharing");

	/** The client's API. */
	private static final Set<String> CLIENT_API = Set.of("SseParser", "SseMessage", "SseParseException", "SseClient",
			"SseClientBuilder", "Backoff");

	/** Lines a main source file may have: past it, look for the second owner of state hiding inside and split. */
	private static final int MAX_LINES = 400;

	/** Main source files allowed past {@link #MAX_LINES}, each with its reason. None now; keep it so. */
	private static final Map<String, String> LONG_FILES_ALLOWED = Map.of();

	/** The public types of the Redis engine: likewise, its one entry point and that one's settings. */
	private static final Set<String> REDIS_ALLOWED = Set.of("SseRedis", "SseRedis$Settings");

	/** What marks a class with tests (which then is named {@code *Tests}). */
	private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest)\\b");

	/** Public, and (when nested) in public classes all the way out: what another package can name. */
	private static final DescribedPredicate<JavaClass> VISIBLE_OUTSIDE_THEIR_PACKAGE = DescribedPredicate
		.describe("are visible outside their package", ArchitectureTests::isVisibleOutsideItsPackage);

	@Test
	void importsTheClassesOfEveryModule() {
		assertThat(CLASSES.containPackage("dev.sseboot.core")).isTrue();
		assertThat(CLASSES.containPackage("dev.sseboot.test")).isTrue();
		assertThat(CLASSES.containPackage("dev.sseboot.web.servlet")).isTrue();
		assertThat(CLASSES.containPackage("dev.sseboot.autoconfigure.redis")).isTrue();
		assertThat(CLASSES.containPackage("dev.sseboot.redis")).isTrue();
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.sseboot.(**)").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void coreAndTestSupportUseNoSpringAndNoServlet() {
		noClasses().that()
			.resideInAnyPackage("dev.sseboot.core..", "dev.sseboot.test..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "jakarta.servlet..", "dev.sseboot.web..",
					"dev.sseboot.autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void theUserApiDependsOnNoInternals() {
		noClasses().that()
			.resideInAPackage("dev.sseboot.web")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.sseboot.web.servlet..", "dev.sseboot.redis..", "dev.sseboot.autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void theUserApiIsExactlyItsAllowList() {
		classes().that()
			.resideInAPackage("dev.sseboot.web")
			.and()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.should(beNamedIn(WEB_API))
			.check(CLASSES);
		assertThat(publicTopLevelNames("dev.sseboot.web")).containsExactlyInAnyOrderElementsOf(WEB_API);
	}

	@Test
	void theCoreDeclaresItsSurfaceAsApiAndSpi() {
		assertThat(CORE_API).doesNotContainAnyElementsOf(CORE_SPI);
		Set<String> surface = new HashSet<>(CORE_API);
		surface.addAll(CORE_SPI);
		assertThat(publicTopLevelNames("dev.sseboot.core")).containsExactlyInAnyOrderElementsOf(surface);
		assertThat(publicTopLevelNames("dev.sseboot.core.client")).containsExactlyInAnyOrderElementsOf(CLIENT_API);
	}

	@Test
	void theServletAdapterIsPublicOnlyWhereAnAutoConfigurationNeedsIt() {
		classes().that()
			.resideInAPackage("dev.sseboot.web.servlet")
			.and(VISIBLE_OUTSIDE_THEIR_PACKAGE)
			.should(beNamedIn(SERVLET_ALLOWED))
			.check(CLASSES);
	}

	@Test
	void theRedisEngineIsPublicOnlyWhereAnAutoConfigurationNeedsIt() {
		classes().that()
			.resideInAPackage("dev.sseboot.redis")
			.and(VISIBLE_OUTSIDE_THEIR_PACKAGE)
			.should(beNamedIn(REDIS_ALLOWED))
			.check(CLASSES);
	}

	@Test
	void autoConfigurationPackagesExposeOnlyAutoConfigurationsAndProperties() {
		classes().that()
			.resideInAPackage("dev.sseboot.autoconfigure..")
			.and()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.should()
			.beAnnotatedWith(AutoConfiguration.class)
			.orShould()
			.beAnnotatedWith(ConfigurationProperties.class)
			.check(CLASSES);
	}

	@Test
	void autoConfigurationsArePublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(CLASSES);
	}

	@Test
	void autoConfigurationsHaveNoPublicMembers() {
		members().that()
			.areDeclaredInClassesThat()
			.areAnnotatedWith(AutoConfiguration.class)
			.and(areNotDefaultConstructors())
			.should()
			.notBePublic()
			.check(CLASSES);
	}

	@Test
	void caseChangesNameTheirLocale() {
		noClasses().should()
			.callMethod(String.class, "toLowerCase")
			.orShould()
			.callMethod(String.class, "toUpperCase")
			.because("the default locale changes the result (Turkish dotless i); pass Locale.ROOT")
			.check(CLASSES);
	}

	@Test
	void noMainSourceFileOfAnyModuleGrowsPastTheLimit() throws IOException {
		Map<String, Long> tooLong = new TreeMap<>();
		try (Stream<Path> files = Files.walk(Path.of(".."))) {
			List<Path> sources = files
				.filter((f) -> f.toString().contains("/src/main/java/") && f.toString().endsWith(".java"))
				.toList();
			for (Path file : sources) {
				long lines;
				try (Stream<String> content = Files.lines(file)) {
					lines = content.count();
				}
				String name = file.normalize().toString().replaceFirst("^\\.\\./", "");
				if (lines > MAX_LINES && !LONG_FILES_ALLOWED.containsKey(name)) {
					tooLong.put(name, lines);
				}
			}
		}
		assertThat(tooLong).as("main source files over %d lines: split by who owns which state", MAX_LINES).isEmpty();
	}

	@Test
	void testClassesOfEveryModuleEndInTests() throws IOException {
		List<String> misnamed;
		try (Stream<Path> files = Files.walk(Path.of(".."))) {
			misnamed = files.filter((file) -> file.toString().contains("/src/test/java/"))
				.filter((file) -> file.toString().endsWith(".java") && !file.toString().contains("/node_modules/"))
				.filter(ArchitectureTests::declaresTests)
				.filter((file) -> !file.getFileName().toString().endsWith("Tests.java"))
				.map(Path::toString)
				.toList();
		}
		assertThat(misnamed).as("classes with tests are named *Tests, as in Spring Boot").isEmpty();
	}

	private static boolean declaresTests(Path file) {
		try {
			String source = Files.readString(file);
			return TEST_ANNOTATION.matcher(source).find();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Set<String> publicTopLevelNames(String packageName) {
		return CLASSES.getPackage(packageName)
			.getClasses()
			.stream()
			.filter((type) -> type.getModifiers().contains(JavaModifier.PUBLIC) && type.isTopLevelClass()
					&& !type.isArray())
			.map(JavaClass::getSimpleName)
			.collect(Collectors.toSet());
	}

	private static ArchCondition<JavaClass> beNamedIn(Set<String> names) {
		return ArchConditions.be(DescribedPredicate
			.describe("on the allow-list " + names, (JavaClass type) -> names.contains(nameInPackage(type))));
	}

	private static boolean isVisibleOutsideItsPackage(JavaClass type) {
		return type.getModifiers().contains(JavaModifier.PUBLIC)
				&& type.getEnclosingClass().map(ArchitectureTests::isVisibleOutsideItsPackage).orElse(true);
	}

	private static String nameInPackage(JavaClass type) {
		return type.getName().substring(type.getPackageName().length() + 1);
	}

	private static DescribedPredicate<JavaMember> areNotDefaultConstructors() {
		return DescribedPredicate.describe("are not default constructors",
				(JavaMember member) -> !(member instanceof JavaConstructor constructor
						&& constructor.getParameters().isEmpty()));
	}

}

package dev.sseboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Compression;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SseCompressionCustomizerTests {

	private final SseCompressionCustomizer customizer = new SseCompressionCustomizer();

	private static Compression compression(String... types) {
		Compression compression = new Compression();
		compression.setEnabled(true);
		compression.setMimeTypes(types);
		return compression;
	}

	@Test
	void takesEventStreamsOutOfTheCompressedTypesOnACopyAndSaysSo(CapturedOutput output) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		Compression configured = compression("text/plain", "text/event-stream;charset=UTF-8", "application/json");
		factory.setCompression(configured);
		this.customizer.customize(factory);
		assertThat(factory.getCompression().getMimeTypes()).containsExactly("text/plain", "application/json");
		assertThat(factory.getCompression().getEnabled()).isTrue();
		assertThat(configured.getMimeTypes()).as("ServerProperties' own settings are left alone").hasSize(3);
		assertThat(output).contains("Left text/event-stream out of server.compression.mime-types");
	}

	@Test
	void warnsOfAWildcardThatCoversEventStreams(CapturedOutput output) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		factory.setCompression(compression("text/*"));
		this.customizer.customize(factory);
		assertThat(factory.getCompression().getMimeTypes()).containsExactly("text/*");
		assertThat(output).contains("\"text/*\", which covers text/event-stream");
	}

	@Test
	void leavesCompressionThatIsOffOrUnrelatedAsItIs() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		Compression off = compression("text/event-stream");
		off.setEnabled(false);
		factory.setCompression(off);
		this.customizer.customize(factory);
		assertThat(factory.getCompression()).isSameAs(off);
		Compression unrelated = compression("text/plain");
		factory.setCompression(unrelated);
		this.customizer.customize(factory);
		assertThat(factory.getCompression()).isSameAs(unrelated);
	}

}

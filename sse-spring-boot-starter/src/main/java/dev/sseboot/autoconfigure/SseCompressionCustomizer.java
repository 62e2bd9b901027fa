package dev.sseboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Keeps the web server from compressing event streams: a compressing container buffers output until it has enough
 * to compress, so events would arrive late and in bursts. Runs after the customizer that applies
 * {@code server.compression.*}, and takes {@code text/event-stream} out of the compressed types on a copy of the
 * settings, saying so once. A wildcard that covers it ({@code text/*}) cannot be narrowed, so it is only warned about.
 */
final class SseCompressionCustomizer implements WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory>,
		Ordered {

	private static final Log logger = LogFactory.getLog(SseCompressionCustomizer.class);

	@Override
	public void customize(AbstractConfigurableWebServerFactory factory) {
		Compression compression = factory.getCompression();
		if (compression == null || !compression.getEnabled() || compression.getMimeTypes() == null) {
			return;
		}
		List<String> kept = new ArrayList<>();
		for (String type : compression.getMimeTypes()) {
			MediaType parsed = parse(type);
			if (parsed != null && parsed.equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM)) {
				continue;
			}
			if (parsed != null && parsed.includes(MediaType.TEXT_EVENT_STREAM)) {
				logger.warn("server.compression.mime-types has \"" + type + "\", which covers text/event-stream: a "
						+ "compressing server buffers SSE events; list the compressed types without a wildcard");
			}
			kept.add(type);
		}
		if (kept.size() == compression.getMimeTypes().length) {
			return;
		}
		logger.info("Left text/event-stream out of server.compression.mime-types: SSE streams are never compressed, "
				+ "since compression would hold events back");
		// a copy: the settings object belongs to ServerProperties
		Compression copy = new Compression();
		copy.setEnabled(true);
		copy.setMimeTypes(kept.toArray(String[]::new));
		copy.setExcludedUserAgents(compression.getExcludedUserAgents());
		copy.setMinResponseSize(compression.getMinResponseSize());
		factory.setCompression(copy);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private static @Nullable MediaType parse(String type) {
		try {
			return MediaType.parseMediaType(type);
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}


}

package dev.sseboot.web.servlet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.sseboot.core.SseDefaults;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads the untrusted {@code Last-Event-ID} request header. It is UTF-8 on the wire, but containers may decode it as
 * ISO-8859-1: the original bytes are recovered, bounded, checked for line breaks and NUL, and decoded as UTF-8. Bytes
 * that are not UTF-8 make an id that matches nothing (an unknown id), never an error.
 */
final class LastEventIds {

	static final String HEADER = "Last-Event-ID";

	private LastEventIds() {
	}

	/**
	 * The decoded id, or {@code null} when the header is absent or empty.
	 * @throws IllegalArgumentException with the reason for a 400
	 */
	static @Nullable String read(HttpServletRequest request) {
		String raw = request.getHeader(HEADER);
		if (raw == null || raw.isEmpty()) {
			return null;
		}
		boolean latin1 = raw.chars().allMatch((c) -> c <= 0xFF);
		byte[] bytes = raw.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
		if (bytes.length > SseDefaults.MAX_LAST_EVENT_ID_BYTES) {
			throw new IllegalArgumentException("Last-Event-ID is " + bytes.length + " bytes; at most "
					+ SseDefaults.MAX_LAST_EVENT_ID_BYTES + " are accepted");
		}
		for (byte b : bytes) {
			if (b == '\r' || b == '\n' || b == 0) {
				throw new IllegalArgumentException("Last-Event-ID must not contain CR, LF or NUL");
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			// not UTF-8: keep it as an id that matches nothing, so the stream starts over
			return new String(bytes, StandardCharsets.UTF_8);
		}
	}

}

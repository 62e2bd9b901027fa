package dev.sseboot.web.servlet;

import java.net.URLDecoder;
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
 * <p>
 * Without the header, the query parameter {@value #PARAMETER} stands for it: an {@code EventSource} cannot set
 * headers, so a page that reloads passes the last id it saved in the URL. The header wins when both are present,
 * since a browser that reconnects by itself sends its newest id in the header and the URL's older one again. Only
 * the query string is read (never a form body), with the same checks.
 */
final class LastEventIds {

	static final String HEADER = "Last-Event-ID";

	static final String PARAMETER = "lastEventId";

	private LastEventIds() {
	}

	/**
	 * The decoded id, or {@code null} when the header is absent or empty (and the query parameter too).
	 * @throws IllegalArgumentException with the reason for a 400
	 */
	static @Nullable String read(HttpServletRequest request) {
		String raw = request.getHeader(HEADER);
		if (raw == null || raw.isEmpty()) {
			return fromQuery(request.getQueryString());
		}
		boolean latin1 = raw.chars().allMatch((c) -> c <= 0xFF);
		return check(raw.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
	}

	/** The id these bytes hold, bounded and without CR, LF or NUL, decoded as UTF-8. */
	private static String check(byte[] bytes) {
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

	/** The {@value #PARAMETER} query parameter, percent-decoded as UTF-8 and checked as the header is. */
	private static @Nullable String fromQuery(@Nullable String query) {
		if (query == null) {
			return null;
		}
		for (String pair : query.split("&")) {
			if (pair.startsWith(PARAMETER + "=")) {
				String value = pair.substring(PARAMETER.length() + 1);
				byte[] decoded;
				try {
					decoded = URLDecoder.decode(value, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("The " + PARAMETER + " query parameter is not valid "
							+ "percent-encoding; pass the id with encodeURIComponent");
				}
				if (decoded.length == 0) {
					return null;
				}
				return check(decoded);
			}
		}
		return null;
	}

}

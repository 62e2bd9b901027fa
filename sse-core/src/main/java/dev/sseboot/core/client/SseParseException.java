package dev.sseboot.core.client;

/** A stream broke a limit the reader set (such as the largest event it buffers). */
public class SseParseException extends RuntimeException {

	public SseParseException(String message) {
		super(message);
	}

}

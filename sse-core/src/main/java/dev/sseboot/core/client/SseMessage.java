package dev.sseboot.core.client;

/**
 * An event as a client receives it, after the WHATWG "dispatch the event" steps.
 *
 * @param event the event type: the {@code event:} field, or {@code message} when it had none
 * @param data the data lines joined with LF (CR and CRLF in the original arrive as LF)
 * @param lastEventId the stream's last event id at dispatch: ids persist across events; empty when none was set
 */
public record SseMessage(String event, String data, String lastEventId) {

	/** A {@code message} event with no last event id. */
	public static SseMessage of(String data) {
		return new SseMessage("message", data, "");
	}

}

package dev.sseboot.web;

import java.time.Duration;

import dev.sseboot.core.CloseReason;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SseDisconnectListener}s are told about a stream that ended.
 *
 * @param connectionId the connection's id ({@code EventChannel.id()})
 * @param endpoint the {@link SseEndpoint} path pattern, such as {@code /rooms/{room}}
 * @param reason why it ended
 * @param duration how long the stream was open
 * @param eventsSent events written to the client
 * @param eventsDropped events that were never written (overflow, or discarded on close)
 * @param lastEventId the {@code Last-Event-ID} the client connected with, or {@code null} when it sent none
 * @param principal the authenticated user's name, or {@code null} for an anonymous request
 */
public record SseDisconnect(String connectionId, String endpoint, CloseReason reason, Duration duration,
		long eventsSent, long eventsDropped, @Nullable String lastEventId, @Nullable String principal) {

}

package dev.sseboot.web;

import org.jspecify.annotations.Nullable;

/**
 * What is known of one stream when it opens, as its {@link SseConnectionObserver}s are told of it: the same value
 * with every event of the stream, so that an observer can follow streams by {@link #connectionId()}.
 *
 * @param endpoint the endpoint the stream belongs to
 * @param connectionId the stream's connection id, the one its {@link SseDisconnect} carries
 * @param principal the authenticated user's name; {@code null} when not authenticated
 * @param lastEventId the {@code Last-Event-ID} the client connected with; {@code null} when absent
 */
public record SseStreamInfo(SseEndpointDefinition endpoint, String connectionId, @Nullable String principal,
		@Nullable String lastEventId) {

}

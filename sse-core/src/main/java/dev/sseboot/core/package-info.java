/**
 * The sse-boot core: plain Java, nothing here knows Spring. Its public types are of two kinds, and the build holds
 * them to these lists ({@code ArchitectureTests}):
 * <ul>
 * <li><b>API</b>, what an application writes against: the event model ({@link dev.sseboot.core.SseEvent}), the one
 * place wire text is produced ({@link dev.sseboot.core.SseEncoder}, with {@link dev.sseboot.core.SseDataSerializer}
 * for data that is not text), the per-connection channel ({@link dev.sseboot.core.EventChannel},
 * {@link dev.sseboot.core.ChannelSettings}, {@link dev.sseboot.core.OverflowPolicy},
 * {@link dev.sseboot.core.CloseReason}), topics ({@link dev.sseboot.core.Broadcaster},
 * {@link dev.sseboot.core.InMemoryBroadcaster}, {@link dev.sseboot.core.TopicNames},
 * {@link dev.sseboot.core.TooManyTopicsException}), runs whose events outlive their clients
 * ({@link dev.sseboot.core.SseRuns}, {@link dev.sseboot.core.SseRun}, {@link dev.sseboot.core.InMemorySseRuns}), the
 * wire formats LLM clients parse ({@link dev.sseboot.core.SseFormat}, {@link dev.sseboot.core.SseFormats}) and the
 * defaults ({@link dev.sseboot.core.SseDefaults}).</li>
 * <li><b>SPI</b>, for a web adapter or a broadcaster of one's own (the starter is both): the transport seam
 * ({@link dev.sseboot.core.SseTransport}), the engine that drives it ({@link dev.sseboot.core.DefaultEventChannel},
 * built by {@link dev.sseboot.core.EventChannelBuilder}, reporting to a {@link dev.sseboot.core.ChannelListener}),
 * the shared {@link dev.sseboot.core.Heartbeat} and {@link dev.sseboot.core.SseExecutors}, and for broadcasters
 * {@link dev.sseboot.core.TopicSubscribers} and {@link dev.sseboot.core.EncodedEvents}, and for runs shared between
 * instances {@link dev.sseboot.core.SseRunSharing}. The SPI may change in a
 * minor version before 1.0 (CHANGELOG.md says how).</li>
 * </ul>
 * Everything else is package-private.
 */
@NullMarked
package dev.sseboot.core;

import org.jspecify.annotations.NullMarked;

package dev.sseboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Opens SSE streams against an application on this machine, over a plain socket, so that tests see the exact bytes
 * and can cut a connection the way a vanished client does.
 *
 * <pre>{@code
 * SseTestClient client = SseTestClient.local(port);
 * try (SseStream stream = client.open("/ticks")) {
 *     List<SseMessage> events = stream.awaitEvents(3, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class SseTestClient {

	private final String host;

	private final int port;

	private SseTestClient(String host, int port) {
		this.host = host;
		this.port = port;
	}

	/** A client of {@code 127.0.0.1:port}, such as a {@code @LocalServerPort}. */
	public static SseTestClient local(int port) {
		return new SseTestClient("127.0.0.1", port);
	}

	/** Opens a stream of {@code path} with no extra headers. */
	public SseStream open(String path) throws IOException {
		return request(path).open();
	}

	/** A request to {@code path} to add headers to before opening. */
	public Request request(String path) {
		return new Request(path);
	}

	/** A GET request in the making. */
	public final class Request {

		private final String path;

		private final Map<String, byte[]> headers = new LinkedHashMap<>();

		private String method = "GET";

		private byte @Nullable [] body;

		private Request(String path) {
			this.path = Objects.requireNonNull(path, "path");
			this.headers.put("Accept", "text/event-stream".getBytes(StandardCharsets.US_ASCII));
		}

		/** A header, written as UTF-8 (as browsers write {@code Last-Event-ID}). */
		public Request header(String name, String value) {
			return rawHeader(name, value.getBytes(StandardCharsets.UTF_8));
		}

		/** A header with exactly these bytes, valid or not. */
		public Request rawHeader(String name, byte[] value) {
			this.headers.put(name, value.clone());
			return this;
		}

		/** Leaves out a header set by default (such as {@code Accept}). */
		public Request without(String name) {
			this.headers.remove(name);
			return this;
		}

		/** The {@code Last-Event-ID} header. */
		public Request lastEventId(String id) {
			return header("Last-Event-ID", id);
		}

		/** Another method than GET: {@code POST} for a streamed answer, others to test refusals. */
		public Request method(String method) {
			this.method = method;
			return this;
		}

		/**
		 * A POST with {@code body} (UTF-8) of {@code contentType}, such as {@code application/json}: what a
		 * {@code fetch} streaming client sends. Sets the method to {@code POST}, {@code Content-Type} and
		 * {@code Content-Length}.
		 */
		public Request post(String contentType, String body) {
			this.method = "POST";
			this.body = body.getBytes(StandardCharsets.UTF_8);
			header("Content-Type", contentType);
			return header("Content-Length", Integer.toString(this.body.length));
		}

		/** Sends the request and starts reading the response in the background. */
		public SseStream open() throws IOException {
			return SseStream.open(SseTestClient.this, SseTestClient.this.host, SseTestClient.this.port, this.method,
					this.path, this.headers, this.body);
		}

	}

}

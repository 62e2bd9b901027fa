package dev.sseboot.core;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event: immutable, and valid by construction. Every field is optional, but an event has at least
 * one. Fields that the <a href="https://html.spec.whatwg.org/multipage/server-sent-events.html">event stream
 * format</a> cannot carry (such as a line break in a name, id or comment, or a NUL in an id) are rejected when the
 * event is built, with an {@link IllegalArgumentException} that names the field and the fix.
 * <p>
 * A {@code null} field is not written. {@code data} is text as-is when it is a {@link CharSequence}, and otherwise
 * handed to the configured {@link SseDataSerializer} (JSON in Spring). An empty {@code id} is written as
 * {@code id: }, the explicit reset of the client's last event id.
 */
public final class SseEvent {

	private final @Nullable String id;

	private final @Nullable String name;

	private final @Nullable Object data;

	private final @Nullable Duration retry;

	private final @Nullable String comment;

	private final @Nullable String key;

	private SseEvent(Builder builder) {
		this.id = builder.id;
		this.name = builder.name;
		this.data = builder.data;
		this.retry = builder.retry;
		this.comment = builder.comment;
		this.key = builder.key;
	}

	/** A builder for an event with any combination of fields. */
	public static Builder builder() {
		return new Builder();
	}

	/** An event of the default type {@code message} carrying {@code data}. */
	public static SseEvent of(Object data) {
		return builder().data(data).build();
	}

	/** An event named {@code name} (the {@code event:} field) carrying {@code data}. */
	public static SseEvent of(String name, Object data) {
		return builder().name(name).data(data).build();
	}

	/** A comment-only block: clients ignore it, proxies see traffic. */
	public static SseEvent comment(String text) {
		return builder().comment(text).build();
	}

	/** The {@code id:} field; {@code null} keeps the client's current id, empty resets it. */
	public @Nullable String id() {
		return this.id;
	}

	/** The {@code event:} field; {@code null} means the default type {@code message}. */
	public @Nullable String name() {
		return this.name;
	}

	/** The payload; {@code null} means no {@code data:} line, so the client fires no event. */
	public @Nullable Object data() {
		return this.data;
	}

	/** The {@code retry:} field (whole milliseconds); {@code null} leaves the client's delay as it is. */
	public @Nullable Duration retry() {
		return this.retry;
	}

	/** A comment line written before the fields; {@code null} for none. */
	public @Nullable String comment() {
		return this.comment;
	}

	/** A copy of this event with another id; used to stamp ids on published events. */
	/**
	 * The conflation key, never written on the wire: under {@link OverflowPolicy#CONFLATE}, a full buffer replaces a
	 * queued event with the same key by this one, in its place. {@code null} for none.
	 */
	public @Nullable String key() {
		return this.key;
	}

	public SseEvent withId(@Nullable String id) {
		return toBuilder().id(id).build();
	}

	/** A builder holding this event's fields. */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.id = this.id;
		builder.name = this.name;
		builder.data = this.data;
		builder.retry = this.retry;
		builder.comment = this.comment;
		builder.key = this.key;
		return builder;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof SseEvent that && Objects.equals(this.id, that.id)
				&& Objects.equals(this.name, that.name) && Objects.equals(this.data, that.data)
				&& Objects.equals(this.retry, that.retry) && Objects.equals(this.comment, that.comment)
				&& Objects.equals(this.key, that.key));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.name, this.data, this.retry, this.comment, this.key);
	}

	@Override
	public String toString() {
		StringBuilder out = new StringBuilder("SseEvent{");
		if (this.id != null) {
			out.append("id=").append(WireText.quote(this.id)).append(' ');
		}
		if (this.name != null) {
			out.append("name=").append(WireText.quote(this.name)).append(' ');
		}
		if (this.retry != null) {
			out.append("retry=").append(this.retry.toMillis()).append("ms ");
		}
		if (this.comment != null) {
			out.append("comment=").append(WireText.quote(this.comment)).append(' ');
		}
		if (this.key != null) {
			out.append("key=").append(WireText.quote(this.key)).append(' ');
		}
		if (this.data != null) {
			out.append("data=").append(
					(this.data instanceof CharSequence text) ? WireText.quote(text) : this.data.getClass().getName());
		}
		return out.toString().stripTrailing() + "}";
	}

	/** Collects an event's fields; {@link #build()} validates them. */
	public static final class Builder {

		private @Nullable String id;

		private @Nullable String name;

		private @Nullable Object data;

		private @Nullable Duration retry;

		private @Nullable String comment;

		private @Nullable String key;

		private Builder() {
		}

		/** The {@code id:} field: one line, no NUL; {@code ""} resets the client's last event id. */
		public Builder id(@Nullable String id) {
			this.id = id;
			return this;
		}

		/** The {@code event:} field: one line, not empty; leave unset for the default type {@code message}. */
		public Builder name(@Nullable String name) {
			this.name = name;
			return this;
		}

		/** The payload: text as-is (line breaks become several {@code data:} lines), or an object to serialise. */
		public Builder data(@Nullable Object data) {
			this.data = data;
			return this;
		}

		/** The client's reconnection delay, whole milliseconds, zero or more. */
		public Builder retry(@Nullable Duration retry) {
			this.retry = retry;
			return this;
		}

		/** A comment line: one line (send one comment per line). */
		public Builder comment(@Nullable String comment) {
			this.comment = comment;
			return this;
		}

		/**
		 * The conflation key (for instance {@code "price:ACME"}), never written on the wire: under
		 * {@link OverflowPolicy#CONFLATE}, when the buffer is full, a queued event with the same key is replaced by
		 * this one in its place (latest value wins). Not empty.
		 */
		public Builder key(@Nullable String key) {
			this.key = key;
			return this;
		}

		/**
		 * Validates the fields and builds the event.
		 * @throws IllegalArgumentException naming the field and the fix when a field cannot be written
		 */
		public SseEvent build() {
			if (this.id != null) {
				WireText.requireOneLine("event id", this.id, "ids are written on one line");
				if (this.id.indexOf('\0') >= 0) {
					throw new IllegalArgumentException("SSE event id must not contain U+0000 (got "
							+ WireText.quote(this.id) + "): browsers ignore an id field that holds NUL; remove it");
				}
			}
			if (this.name != null) {
				if (this.name.isEmpty()) {
					throw new IllegalArgumentException(
							"SSE event name must not be empty: leave it unset (null) for the default type \"message\"");
				}
				WireText.requireOneLine("event name", this.name, "names are written on one line");
			}
			if (this.retry != null) {
				checkRetry(this.retry);
			}
			if (this.key != null && this.key.isEmpty()) {
				throw new IllegalArgumentException(
						"SSE event key must not be empty: leave it unset (null) for an event that is never conflated");
			}
			if (this.comment != null) {
				WireText.requireOneLine("comment", this.comment,
						"a line break would turn the rest into a field; send one comment per line");
			}
			if (this.data instanceof CharSequence text) {
				WireText.requireWellFormed("event data", text.toString());
			}
			if (this.id == null && this.name == null && this.data == null && this.retry == null
					&& this.comment == null) {
				throw new IllegalArgumentException("SSE event has no field: set data, id, retry, name or a comment");
			}
			if (this.name != null && this.data == null) {
				throw new IllegalArgumentException("SSE event name " + WireText.quote(this.name)
						+ " is set but data is not: a client fires no event without data; set data (\"\" is fine)");
			}
			return new SseEvent(this);
		}

		private static void checkRetry(Duration retry) {
			if (retry.isNegative()) {
				throw new IllegalArgumentException(
						"SSE retry must not be negative (got " + retry + "): use zero or more milliseconds");
			}
			if (retry.getNano() % 1_000_000 != 0) {
				throw new IllegalArgumentException("SSE retry must be a whole number of milliseconds (got " + retry
						+ "): clients ignore fractions; use Duration.ofMillis(...)");
			}
			try {
				retry.toMillis();
			}
			catch (ArithmeticException ex) {
				throw new IllegalArgumentException(
						"SSE retry is too large (got " + retry + "): use a delay that fits in a long of milliseconds");
			}
		}

	}

}

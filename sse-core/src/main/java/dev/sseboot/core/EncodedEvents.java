package dev.sseboot.core;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Bytes of whole encoded events and how many events they hold: what a channel queues. One instance may be queued on
 * many channels (a broadcaster encodes once per publish); it is never modified.
 *
 * @param bytes the encoded events, as {@link SseEncoder} made them
 * @param events how many events they count as (zero for control blocks such as an id-only block)
 */
public record EncodedEvents(byte[] bytes, int events) {

	public EncodedEvents {
		Objects.requireNonNull(bytes, "bytes");
		if (events < 0) {
			throw new IllegalArgumentException("events must not be negative (got " + events + ")");
		}
	}

	/** One event. */
	public static EncodedEvents of(byte[] bytes) {
		return new EncodedEvents(bytes, 1);
	}

	/** How many events {@code items} hold together. */
	static int count(EncodedEvents[] items) {
		return count(items, 0);
	}

	/** How many events {@code items} hold together from index {@code from} on. */
	static int count(EncodedEvents[] items, int from) {
		int events = 0;
		for (int i = from; i < items.length; i++) {
			events += items[i].events();
		}
		return events;
	}

	/** {@code preamble} (when there is one) and the bytes of {@code batch}, in one array; no copy for one part. */
	static byte[] concat(byte @Nullable [] preamble, EncodedEvents[] batch) {
		if (preamble == null && batch.length == 1) {
			return batch[0].bytes();
		}
		if (preamble != null && batch.length == 0) {
			return preamble;
		}
		int size = (preamble != null) ? preamble.length : 0;
		for (EncodedEvents item : batch) {
			size += item.bytes().length;
		}
		byte[] out = new byte[size];
		int pos = 0;
		if (preamble != null) {
			System.arraycopy(preamble, 0, out, 0, preamble.length);
			pos = preamble.length;
		}
		for (EncodedEvents item : batch) {
			System.arraycopy(item.bytes(), 0, out, pos, item.bytes().length);
			pos += item.bytes().length;
		}
		return out;
	}

}

package dev.sseboot.core;

import java.security.SecureRandom;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/** The ids of runs ({@code 22 URL-safe characters}) and of their events ({@code <run id>:<sequence>}). */
final class RunIds {

	private static final SecureRandom random = new SecureRandom();

	private RunIds() {
	}

	/** A new run id: 128 random bits, URL-safe Base64 without padding. */
	static String newRunId() {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String eventId(String runId, long sequence) {
		return runId + ":" + sequence;
	}

	/**
	 * The sequence to resume from after {@code lastEventId}: the one after it when it is an event id of run
	 * {@code runId}; 0 (the start) when it is {@code null}, of another run, or no event id at all.
	 */
	static long after(String runId, @Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.length() <= runId.length() + 1 || !lastEventId.startsWith(runId)
				|| lastEventId.charAt(runId.length()) != ':') {
			return 0;
		}
		String sequence = lastEventId.substring(runId.length() + 1);
		if (sequence.length() > 18) {
			return 0;
		}
		for (int i = 0; i < sequence.length(); i++) {
			if (sequence.charAt(i) < '0' || sequence.charAt(i) > '9') {
				return 0;
			}
		}
		return Long.parseLong(sequence) + 1;
	}

}

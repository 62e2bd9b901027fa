package dev.sseboot.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The bounded buffer of one channel: encoded events waiting for the drain. Whether an event was accepted is decided
 * here, under one lock, so that closing and offering cannot disagree. Grows on demand up to its capacity, so an idle
 * connection holds little memory.
 * <p>
 * The channel's own events and a broadcaster's (topic events, a replay, a position) are told apart: a
 * {@link OverflowPolicy#DROP_OLDEST} offer of the channel's own may push out only its own, never a topic event,
 * whose loss the client's {@code Last-Event-ID} would carry past silently. Own events are held wrapped (one small
 * object per event of the application's); a broadcaster's, on the hot path of fan-out, as they are.
 * <p>
 * A publisher being streamed takes room ahead, by {@link #reserve(int) reservation}: what it was asked for always
 * has a place when it arrives, and counts as taken for every other offer. It may hold at most the capacity less a
 * quarter, so that the application's own sends beside it find room while the client keeps up.
 */
final class EventBuffer {

	enum Outcome {

		ACCEPTED, ACCEPTED_DROPPING_OLDEST, DROPPED_NEWEST, FULL, CLOSED, INTERRUPTED

	}

	/** What an offer did; {@code dropped} counts the events an {@code ACCEPTED_DROPPING_OLDEST} offer discarded. */
	record Offer(Outcome outcome, int dropped) {

		static final Offer ACCEPTED = new Offer(Outcome.ACCEPTED, 0);

		static final Offer DROPPED_NEWEST = new Offer(Outcome.DROPPED_NEWEST, 0);

		static final Offer FULL = new Offer(Outcome.FULL, 0);

		static final Offer CLOSED = new Offer(Outcome.CLOSED, 0);

		static final Offer INTERRUPTED = new Offer(Outcome.INTERRUPTED, 0);

	}

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	/** {@link EncodedEvents} of a broadcaster, or {@link Own} events of the channel. */
	private final ArrayDeque<Object> items = new ArrayDeque<>(3);

	/**
	 * An event the channel's application sent itself, with its conflation key; under {@link OverflowPolicy#CONFLATE}
	 * its events are replaced in place (under the lock).
	 */
	private static final class Own {

		EncodedEvents events;

		final @Nullable String key;

		Own(EncodedEvents events, @Nullable String key) {
			this.events = events;
			this.key = key;
		}

		EncodedEvents events() {
			return this.events;
		}

	}

	/**
	 * A broadcaster's block of events queued as one item (a replay): the events are the topic's own, shared, not
	 * copied; {@code from} is the first not yet taken.
	 */
	private record Parts(EncodedEvents[] parts, int from) {

		int events() {
			return EncodedEvents.count(this.parts, this.from);
		}

	}

	private final int capacity;

	/** Room a publisher's reservations never take: the application's own sends beside it. */
	private final int headroom;

	private volatile int size;

	/** Places promised to a publisher's items not yet arrived; guarded by the lock. */
	private int reserved;

	private volatile boolean inputClosed;

	EventBuffer(int capacity) {
		this.capacity = capacity;
		this.headroom = capacity / 4;
	}

	/**
	 * Offers {@code item}: the channel's own event when {@code own}, else a broadcaster's. A full buffer applies
	 * {@code policy}; {@link OverflowPolicy#DROP_OLDEST} makes room only by dropping the oldest own event, and drops
	 * the offered one when there is none.
	 */
	Offer offer(EncodedEvents item, boolean own, OverflowPolicy policy, long timeoutNanos) {
		return offer(item, own, null, policy, timeoutNanos);
	}

	/** As {@link #offer(EncodedEvents, boolean, OverflowPolicy, long)}, for an own event with a conflation key. */
	Offer offer(EncodedEvents item, boolean own, @Nullable String key, OverflowPolicy policy, long timeoutNanos) {
		return offerEntry(own ? new Own(item, key) : item, policy, timeoutNanos);
	}

	/** Offers a broadcaster's block of events as one item, sharing them; as {@link #offer} otherwise. */
	Offer offerAll(EncodedEvents[] parts, OverflowPolicy policy, long timeoutNanos) {
		return offerEntry(new Parts(parts, 0), policy, timeoutNanos);
	}

	private Offer offerEntry(Object entry, OverflowPolicy policy, long timeoutNanos) {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return Offer.CLOSED;
			}
			if (hasRoom()) {
				add(entry);
				return Offer.ACCEPTED;
			}
			switch (policy) {
				case DROP_OLDEST -> {
					EncodedEvents oldest = removeOldestOwn();
					if (oldest == null) {
						return Offer.DROPPED_NEWEST;
					}
					add(entry);
					return new Offer(Outcome.ACCEPTED_DROPPING_OLDEST, oldest.events());
				}
				case CONFLATE -> {
					if (entry instanceof Own own && own.key != null) {
						Own queued = queuedWithKey(own.key);
						if (queued != null) {
							int replaced = queued.events.events();
							queued.events = own.events;
							return new Offer(Outcome.ACCEPTED_DROPPING_OLDEST, replaced);
						}
					}
					EncodedEvents oldest = removeOldestOwn();
					if (oldest == null) {
						return Offer.DROPPED_NEWEST;
					}
					add(entry);
					return new Offer(Outcome.ACCEPTED_DROPPING_OLDEST, oldest.events());
				}
				case DROP_NEWEST -> {
					return Offer.DROPPED_NEWEST;
				}
				case CLOSE -> {
					return Offer.FULL;
				}
				default -> {
					return awaitRoom(entry, timeoutNanos);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The queued own event with {@code key}, the newest if several (each replaced one keeps its place). */
	private @Nullable Own queuedWithKey(String key) {
		Iterator<Object> entries = this.items.descendingIterator();
		while (entries.hasNext()) {
			if (entries.next() instanceof Own own && key.equals(own.key)) {
				return own;
			}
		}
		return null;
	}

	private @Nullable EncodedEvents removeOldestOwn() {
		Iterator<Object> entries = this.items.iterator();
		while (entries.hasNext()) {
			if (entries.next() instanceof Own own) {
				entries.remove();
				this.size = this.items.size();
				return own.events();
			}
		}
		return null;
	}

	private Offer awaitRoom(Object entry, long timeoutNanos) {
		long nanos = timeoutNanos;
		try {
			while (!hasRoom() && !this.inputClosed) {
				if (nanos <= 0) {
					return Offer.FULL;
				}
				nanos = this.notFull.awaitNanos(nanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Offer.INTERRUPTED;
		}
		if (this.inputClosed) {
			return Offer.CLOSED;
		}
		add(entry);
		return Offer.ACCEPTED;
	}

	private boolean hasRoom() {
		return this.items.size() + this.reserved < this.capacity;
	}

	/**
	 * Promises a publisher up to {@code wanted} places, no more than the capacity less the headroom minus what is
	 * queued and promised already; returns how many were promised (none once the input is closed).
	 */
	int reserve(int wanted) {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return 0;
			}
			int granted = Math.max(0,
					Math.min(wanted, Math.max(this.capacity - this.headroom, 1) - this.items.size() - this.reserved));
			this.reserved += granted;
			return granted;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Queues a publisher's item in a place {@link #reserve(int) promised} to it: never refused for room. An item no
	 * place was promised for (a publisher that sent more than it was asked for) is offered under {@code policy}.
	 */
	Offer offerReserved(EncodedEvents item, OverflowPolicy policy, long timeoutNanos) {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return Offer.CLOSED;
			}
			if (this.reserved > 0) {
				this.reserved--;
				// held as a broadcaster's are: the application's own drop-oldest sends never push it out
				add(item);
				return Offer.ACCEPTED;
			}
		}
		finally {
			this.lock.unlock();
		}
		return offer(item, true, policy, timeoutNanos);
	}

	private void add(Object entry) {
		this.items.addLast(entry);
		this.size = this.items.size();
	}

	private static EncodedEvents events(Object entry) {
		return (entry instanceof Own own) ? own.events() : (EncodedEvents) entry;
	}

	private static int eventCount(Object entry) {
		return (entry instanceof Parts parts) ? parts.events() : events(entry).events();
	}

	/**
	 * What is buffered, oldest first, up to about {@code maxBytes} (always at least one event), or {@code null} when
	 * empty; a block of events may be taken in part, its rest staying first. Wakes producers waiting for room.
	 */
	EncodedEvents @Nullable [] take(int maxBytes) {
		if (this.size == 0) {
			return null;
		}
		this.lock.lock();
		try {
			if (this.items.isEmpty()) {
				return null;
			}
			List<EncodedEvents> taken = new ArrayList<>(Math.min(this.items.size(), 64));
			long bytes = 0;
			while (!this.items.isEmpty()) {
				Object head = this.items.peekFirst();
				if (head instanceof Parts parts) {
					int next = parts.from();
					while (next < parts.parts().length
							&& (taken.isEmpty() || bytes + parts.parts()[next].bytes().length <= maxBytes)) {
						taken.add(parts.parts()[next]);
						bytes += parts.parts()[next].bytes().length;
						next++;
					}
					this.items.pollFirst();
					if (next < parts.parts().length) {
						this.items.addFirst(new Parts(parts.parts(), next));
						break;
					}
					continue;
				}
				EncodedEvents events = events(head);
				if (!taken.isEmpty() && bytes + events.bytes().length > maxBytes) {
					break;
				}
				this.items.pollFirst();
				taken.add(events);
				bytes += events.bytes().length;
			}
			this.size = this.items.size();
			this.notFull.signalAll();
			return taken.toArray(new EncodedEvents[0]);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Refuses further offers, keeping what is buffered. Returns whether this call closed it. */
	boolean closeInput() {
		this.lock.lock();
		try {
			if (this.inputClosed) {
				return false;
			}
			this.inputClosed = true;
			this.notFull.signalAll();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Refuses further offers and discards what is buffered; returns how many events were discarded. */
	int discard() {
		this.lock.lock();
		try {
			this.inputClosed = true;
			int discarded = 0;
			for (Object entry : this.items) {
				discarded += eventCount(entry);
			}
			this.items.clear();
			this.size = 0;
			this.reserved = 0;
			this.notFull.signalAll();
			return discarded;
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	/** Items queued now (a block of events is one). */
	int size() {
		return this.size;
	}

	boolean isInputClosed() {
		return this.inputClosed;
	}

	static long nanos(Duration timeout) {
		try {
			return timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			return TimeUnit.DAYS.toNanos(365);
		}
	}

}

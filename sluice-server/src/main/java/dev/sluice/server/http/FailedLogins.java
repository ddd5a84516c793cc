package dev.sluice.server.http;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing from one client address (IP, any port): the k-th failure in a row is
 * answered {@link #penalty(int)} after the attempt came ({@value #FIRST_PENALTY_MS} ms, doubling, at
 * most {@value #MAX_PENALTY_MS} ms, and at most {@code maxWait}), and no attempt from that address is
 * checked before then. Attempts sent in parallel get slots one penalty apart, so parallel
 * connections guess no faster than one; an attempt whose slot is more than {@code maxWait} away is
 * refused at once (429). A success forgets the address; so does {@value #FORGET_AFTER_MINUTES}
 * minutes without a failure.
 *
 * <p>The table holds at most {@value #MAX_ADDRESSES} addresses; past that, the one used least
 * recently is dropped. Nothing here blocks: callers schedule the check or the answer after the
 * returned delay. Thread-safe (attempts arrive on several event loops); every call is O(1).
 */
final class FailedLogins {
    static final long FIRST_PENALTY_MS = 250;
    static final long MAX_PENALTY_MS = 5_000;
    static final int MAX_ADDRESSES = 10_000;
    static final long FORGET_AFTER_MINUTES = 15;

    /** What to do with an attempt: check it after {@code wait}, or refuse it and say when to retry. */
    record Admission(boolean admitted, Duration delay) {
    }

    /** A failure recorded: how many in a row from that address, and how long its answer (and the address) waits. */
    record Failure(int failures, Duration delay) {
    }

    private static final class Entry {
        int failures;
        Instant lastFailure;
        Instant nextSlot;
    }

    private final Clock clock;
    private final Duration maxWait;
    private final Map<InetAddress, Entry> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Entry> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** @param maxWait the longest an attempt may be held before its check (below httpRequestTimeoutMS) */
    FailedLogins(Clock clock, Duration maxWait) {
        this.clock = clock;
        this.maxWait = maxWait;
    }

    /** Takes a slot for an attempt from {@code address}. */
    synchronized Admission admit(InetAddress address) {
        Instant now = clock.instant();
        Entry entry = live(address, now);
        if (entry == null) {
            return new Admission(true, Duration.ZERO);
        }
        Instant slot = entry.nextSlot.isAfter(now) ? entry.nextSlot : now;
        Duration wait = Duration.between(now, slot);
        if (wait.compareTo(maxWait) > 0) {
            return new Admission(false, wait.minus(maxWait));
        }
        entry.nextSlot = slot.plus(delay(entry.failures));
        return new Admission(true, wait);
    }

    /** Records a failed attempt from {@code address}. */
    synchronized Failure failed(InetAddress address) {
        Instant now = clock.instant();
        Entry entry = live(address, now);
        if (entry == null) {
            entry = new Entry();
            entry.nextSlot = now;
            byAddress.put(address, entry);
        }
        entry.failures++;
        entry.lastFailure = now;
        Duration delay = delay(entry.failures);
        Instant earliest = now.plus(delay);
        if (earliest.isAfter(entry.nextSlot)) {
            entry.nextSlot = earliest;
        }
        return new Failure(entry.failures, delay);
    }

    /** A successful attempt: the address starts afresh. */
    synchronized void succeeded(InetAddress address) {
        byAddress.remove(address);
    }

    /** Addresses with recent failures (at most {@value #MAX_ADDRESSES}). */
    synchronized int size() {
        return byAddress.size();
    }

    /** {@link #penalty}, at most maxWait. */
    private Duration delay(int failures) {
        Duration penalty = penalty(failures);
        return penalty.compareTo(maxWait) > 0 ? maxWait : penalty;
    }

    /** How long the answer to the {@code failures}-th failure in a row, and the next attempt, wait. */
    static Duration penalty(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - 1, 30);
        return Duration.ofMillis(Math.min(MAX_PENALTY_MS, FIRST_PENALTY_MS << doublings));
    }

    private Entry live(InetAddress address, Instant now) {
        Entry entry = byAddress.get(address);
        if (entry != null && !entry.lastFailure.plus(Duration.ofMinutes(FORGET_AFTER_MINUTES)).isAfter(now)) {
            byAddress.remove(address);
            return null;
        }
        return entry;
    }
}

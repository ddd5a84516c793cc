package dev.sluice.server.security.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows down repeated authentication failures from one address: after {@value #FREE_FAILURES}
 * failures within {@value #WINDOW_MS} ms, each further failure's reply is delayed, doubling from
 * 100 ms up to {@value #MAX_DELAY_MS} ms. The delay is applied by the caller with a scheduled task,
 * never by blocking a thread. At most {@value #MAX_ADDRESSES} addresses are tracked (oldest
 * forgotten first), so a flood from many addresses costs bounded memory. Thread-safe.
 */
public final class FailureThrottle {
    static final int FREE_FAILURES = 5;
    static final long WINDOW_MS = 60_000;
    static final long MAX_DELAY_MS = 5_000;
    static final int MAX_ADDRESSES = 10_000;

    private final LongSupplier nanoTime;
    private final Map<String, long[]> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public FailureThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Records a failure from {@code host} (an address without port) and returns how long its reply
     * should wait, in milliseconds (0 for the first failures).
     */
    public synchronized long failed(String host) {
        long now = nanoTime.getAsLong();
        long[] state = failures.get(host); // {count, windowStart}
        if (state == null || now - state[1] > TimeUnit.MILLISECONDS.toNanos(WINDOW_MS)) {
            state = new long[] {0, now};
            failures.put(host, state);
        }
        state[0]++;
        long over = state[0] - FREE_FAILURES;
        if (over <= 0) {
            return 0;
        }
        return Math.min(MAX_DELAY_MS, 100L << Math.min(over - 1, 20));
    }

    /** A success from {@code host} clears its record. */
    public synchronized void succeeded(String host) {
        failures.remove(host);
    }
}

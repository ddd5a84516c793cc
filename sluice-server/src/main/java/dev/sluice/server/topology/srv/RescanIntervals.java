package dev.sluice.server.topology.srv;

import java.time.Duration;

/**
 * How often a {@link SrvMonitor} rescans (Polling SRV Records for mongos Discovery): after a good rescan, the smallest
 * TTL of the SRV records but never less than {@code minimum} (the spec's 60 s); after a failed one (no answer, no
 * verified host), {@code afterFailure} (the spec uses heartbeatFrequencyMS, 10 s by default) until one succeeds.
 * Measured from the end of the previous look-up.
 *
 * @param minimum      the shortest interval after a good rescan (60 s; shorter only in tests)
 * @param afterFailure the interval after a failed rescan (heartbeatFrequencyMS)
 */
public record RescanIntervals(Duration minimum, Duration afterFailure) {

    /** The spec's floor: rescanSRVIntervalMS is never below 60 s. */
    public static final Duration SPEC_MINIMUM = Duration.ofSeconds(60);

    public RescanIntervals {
        if (minimum.isNegative() || minimum.isZero()) {
            throw new IllegalArgumentException("rescan minimum interval: " + minimum + " (expected: > 0)");
        }
        if (afterFailure.isNegative() || afterFailure.isZero()) {
            throw new IllegalArgumentException("heartbeatFrequencyMS: " + afterFailure.toMillis() + " (expected: > 0)");
        }
    }

    /** The spec's intervals: at least 60 s, and {@code heartbeatFrequencyMS} after a failure. */
    public static RescanIntervals of(long heartbeatFrequencyMS) {
        return new RescanIntervals(SPEC_MINIMUM, Duration.ofMillis(heartbeatFrequencyMS));
    }

    /** The delay after a good rescan whose smallest TTL was {@code minTtlSeconds} (-1 when unknown). */
    Duration afterSuccess(long minTtlSeconds) {
        Duration ttl = Duration.ofSeconds(Math.max(0, minTtlSeconds));
        return ttl.compareTo(minimum) > 0 ? ttl : minimum;
    }
}

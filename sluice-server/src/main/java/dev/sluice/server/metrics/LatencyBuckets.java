package dev.sluice.server.metrics;

import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The fixed bucket bounds of every Sluice latency histogram: {@value #COUNT} explicit service-level
 * bounds from 100 µs to 30 s (plus {@code +Inf}), instead of Micrometer's percentile histogram (69
 * buckets for a timer's default 1 ms-30 s range). One list for all, so dashboards can compare them.
 */
public final class LatencyBuckets {
    /** Explicit bounds (the exposition adds {@code le="+Inf"}, so a series has COUNT + 1 buckets). */
    public static final int COUNT = 14;

    private static final Duration[] BOUNDS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofMillis(2_500), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private LatencyBuckets() {
    }

    /** Applies the bounds to a timer being built (and no percentile histogram). */
    public static Timer.Builder apply(Timer.Builder builder) {
        return builder.serviceLevelObjectives(BOUNDS.clone())
                .minimumExpectedValue(BOUNDS[0]).maximumExpectedValue(BOUNDS[BOUNDS.length - 1]);
    }
}

package dev.sluice.server.topology;

import java.util.OptionalDouble;

/**
 * The averaged round trip time of hello checks: an exponentially weighted moving average with weight 0.2 on the
 * newest sample, as the server selection specification requires. The first sample after a server becomes available
 * is the average; a server that becomes Unknown loses its average.
 */
public final class RoundTripTime {

    /** Weight of the newest sample. */
    public static final double ALPHA = 0.2;

    private RoundTripTime() {
    }

    /**
     * @param previous     the previous average, empty when there is none (first check, or the server was Unknown)
     * @param sampleMillis the new measurement, in milliseconds
     * @return the new average
     * @throws IllegalArgumentException when the sample is negative or not finite
     */
    public static double average(OptionalDouble previous, double sampleMillis) {
        if (!(sampleMillis >= 0) || Double.isInfinite(sampleMillis)) {
            throw new IllegalArgumentException("round trip time: " + sampleMillis + " ms (expected: >= 0)");
        }
        if (previous.isEmpty()) {
            return sampleMillis;
        }
        return ALPHA * sampleMillis + (1 - ALPHA) * previous.getAsDouble();
    }
}

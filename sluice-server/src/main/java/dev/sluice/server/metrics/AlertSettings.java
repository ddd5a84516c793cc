package dev.sluice.server.metrics;

/**
 * When {@link ConnectionAlerts} warns.
 *
 * @param maxIncomingConnections the client limit (the mongodb connector's maxIncomingConnections), >= 1
 * @param thresholdPercent       warn when connections reach this share of the limit; 1..100, default 80
 * @param hysteresisPercent      clear the alert only once connections fall this many points below the
 *                               threshold; 0..thresholdPercent-1, default 10
 */
public record AlertSettings(int maxIncomingConnections, int thresholdPercent, int hysteresisPercent) {
    public static final int DEFAULT_THRESHOLD_PERCENT = 80;
    public static final int DEFAULT_HYSTERESIS_PERCENT = 10;

    public AlertSettings {
        if (maxIncomingConnections < 1) {
            throw new IllegalArgumentException("maxIncomingConnections: " + maxIncomingConnections
                    + " (expected: >= 1)");
        }
        if (thresholdPercent < 1 || thresholdPercent > 100) {
            throw new IllegalArgumentException("alerts.thresholdPercent: " + thresholdPercent
                    + " (expected: 1..100)");
        }
        if (hysteresisPercent < 0 || hysteresisPercent >= thresholdPercent) {
            throw new IllegalArgumentException("alerts.hysteresisPercent: " + hysteresisPercent
                    + " (expected: 0.." + (thresholdPercent - 1) + ")");
        }
    }

    /** The defaults (80 %, 10 points of hysteresis) for a given client limit. */
    public static AlertSettings defaults(int maxIncomingConnections) {
        return new AlertSettings(maxIncomingConnections, DEFAULT_THRESHOLD_PERCENT, DEFAULT_HYSTERESIS_PERCENT);
    }
}

package dev.sluice.server.topology;

import com.mongodb.ConnectionString;

/**
 * Server selection settings.
 *
 * @param localThresholdMS     the latency window: servers whose average RTT is at most this much above the fastest
 *                             suitable server's are candidates (default 15, 0..86,400,000)
 * @param heartbeatFrequencyMS how often monitors check each server (default 10,000, min 500); enters the staleness
 *                             estimate of {@code maxStalenessSeconds}
 */
public record SelectionSettings(long localThresholdMS, long heartbeatFrequencyMS) {

    /** Default localThresholdMS. */
    public static final long DEFAULT_LOCAL_THRESHOLD_MS = 15;
    /** Default heartbeatFrequencyMS. */
    public static final long DEFAULT_HEARTBEAT_FREQUENCY_MS = 10_000;
    /** How often an idle primary writes a no-op (a server constant): part of the smallest allowed maxStalenessSeconds. */
    public static final long IDLE_WRITE_PERIOD_MS = 10_000;
    /** The smallest maxStalenessSeconds allowed, whatever the heartbeat. */
    public static final long SMALLEST_MAX_STALENESS_SECONDS = 90;

    public SelectionSettings {
        if (localThresholdMS < 0 || localThresholdMS > 86_400_000) {
            throw new IllegalArgumentException("localThresholdMS: " + localThresholdMS + " (expected: 0..86400000)");
        }
        if (heartbeatFrequencyMS < 500 || heartbeatFrequencyMS > 3_600_000) {
            throw new IllegalArgumentException("heartbeatFrequencyMS: " + heartbeatFrequencyMS
                    + " (expected: 500..3600000)");
        }
    }

    /** @return localThresholdMS 15, heartbeatFrequencyMS 10,000 */
    public static SelectionSettings defaults() {
        return new SelectionSettings(DEFAULT_LOCAL_THRESHOLD_MS, DEFAULT_HEARTBEAT_FREQUENCY_MS);
    }

    /**
     * @param cs the upstream URI
     * @return its {@code localThresholdMS} and {@code heartbeatFrequencyMS}, defaults where absent
     */
    public static SelectionSettings fromConnectionString(ConnectionString cs) {
        return new SelectionSettings(
                cs.getLocalThreshold() == null ? DEFAULT_LOCAL_THRESHOLD_MS : cs.getLocalThreshold(),
                cs.getHeartbeatFrequency() == null ? DEFAULT_HEARTBEAT_FREQUENCY_MS : cs.getHeartbeatFrequency());
    }

    /** @return the smallest maxStalenessSeconds a replica set read may ask for with these settings */
    public long smallestMaxStalenessSeconds() {
        long fromHeartbeat = (heartbeatFrequencyMS + IDLE_WRITE_PERIOD_MS + 999) / 1000;
        return Math.max(SMALLEST_MAX_STALENESS_SECONDS, fromHeartbeat);
    }
}

package dev.sluice.server.config;


/**
 * The {@code fleet:} settings: how this Sluice registers in the upstream cluster and shares a
 * connection budget with the other Sluices in front of it.
 *
 * @param enabled             register and heartbeat (default off; needs an upstream: the embedded backend
 *                            is private to one Sluice)
 * @param advertiseHttp       the base URL other Sluices use to reach this one's HTTP connector
 *                            ({@code http://host:port}); default: the HTTP connector's bound address
 * @param heartbeatIntervalMS how often the instance document is refreshed and the fleet re-read
 * @param instanceTimeoutMS   an instance whose heartbeat is older than this is not live
 * @param peerTimeoutMS       how long a request to another instance may take (listing, kill)
 * @param maxPeerReplyBytes   the largest reply read from another instance
 * @param maxInstances        the most instance documents read per heartbeat
 * @param connectionBudget    the most connections the fleet as a whole opens to each upstream host,
 *                            monitoring included; 0 = no budget
 */
public record FleetSettings(boolean enabled, String advertiseHttp, long heartbeatIntervalMS, long instanceTimeoutMS,
                            long peerTimeoutMS, int maxPeerReplyBytes, int maxInstances, int connectionBudget) {

    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
    public static final int DEFAULT_MAX_PEER_REPLY_BYTES = 64 << 20;
    public static final int DEFAULT_MAX_INSTANCES = 1_000;

    /** Off: no registration, no budget. */
    public static final FleetSettings DISABLED = new FleetSettings(false, null, DEFAULT_HEARTBEAT_INTERVAL_MS,
            3 * DEFAULT_HEARTBEAT_INTERVAL_MS, 2_000, DEFAULT_MAX_PEER_REPLY_BYTES, DEFAULT_MAX_INSTANCES, 0);

    public FleetSettings {
        if (heartbeatIntervalMS < 100 || heartbeatIntervalMS > 600_000) {
            throw new ConfigException("fleet.heartbeatIntervalMS: " + heartbeatIntervalMS + " (expected: 100..600000)");
        }
        if (instanceTimeoutMS < 2 * heartbeatIntervalMS) {
            throw new ConfigException("fleet.instanceTimeoutMS: " + instanceTimeoutMS
                    + " (expected: at least twice fleet.heartbeatIntervalMS, " + 2 * heartbeatIntervalMS + ")");
        }
        if (peerTimeoutMS < 1 || peerTimeoutMS > 600_000) {
            throw new ConfigException("fleet.peerTimeoutMS: " + peerTimeoutMS + " (expected: 1..600000)");
        }
        if (maxPeerReplyBytes < 1024) {
            throw new ConfigException("fleet.maxPeerReplyBytes: " + maxPeerReplyBytes + " (expected: >= 1024)");
        }
        if (maxInstances < 1 || maxInstances > 100_000) {
            throw new ConfigException("fleet.maxInstances: " + maxInstances + " (expected: 1..100000)");
        }
        if (connectionBudget < 0) {
            throw new ConfigException("fleet.connectionBudget: " + connectionBudget + " (expected: >= 0; 0 = none)");
        }
        if (advertiseHttp != null && !advertiseHttp.matches("https?://[^/\\s]+")) {
            throw new ConfigException("fleet.advertiseHttp: '" + advertiseHttp
                    + "' (expected: http://host:port or https://host:port, no path)");
        }
    }

    /** The same settings, on. */
    public FleetSettings enable(boolean on) {
        return new FleetSettings(on, advertiseHttp, heartbeatIntervalMS, instanceTimeoutMS, peerTimeoutMS,
                maxPeerReplyBytes, maxInstances, connectionBudget);
    }

    /** The same settings with another connection budget (a configuration reload). */
    public FleetSettings withConnectionBudget(int budget) {
        return new FleetSettings(enabled, advertiseHttp, heartbeatIntervalMS, instanceTimeoutMS, peerTimeoutMS,
                maxPeerReplyBytes, maxInstances, budget);
    }

    /** The same settings with another advertised HTTP address. */
    public FleetSettings withAdvertiseHttp(String url) {
        return new FleetSettings(enabled, url, heartbeatIntervalMS, instanceTimeoutMS, peerTimeoutMS,
                maxPeerReplyBytes, maxInstances, connectionBudget);
    }
}

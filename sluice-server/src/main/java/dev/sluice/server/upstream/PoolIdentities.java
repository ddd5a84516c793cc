package dev.sluice.server.upstream;

/**
 * Who backend connections log in as, per host.
 *
 * @param perUser               with {@code security.userSource: cluster}: one pool per logged-in user (their own
 *                              credentials, passed through), beside Sluice's own pool (the URI's credentials)
 * @param maxUserPools          the most users' pools one host holds (security.clusterUserCacheSize)
 * @param maxConnectionsPerHost pooled connections one host may hold over all its pools; 0 means no bound beyond
 *                              each pool's maxPoolSize
 */
public record PoolIdentities(boolean perUser, int maxUserPools, int maxConnectionsPerHost) {
    /** Today's default: Sluice's own pool only, no per-host bound beyond maxPoolSize. */
    public static final PoolIdentities SERVICE_ONLY = new PoolIdentities(false, 0, 0);

    public PoolIdentities {
        if (maxUserPools < 0 || maxConnectionsPerHost < 0) {
            throw new IllegalArgumentException("maxUserPools: " + maxUserPools + ", maxConnectionsPerHost: "
                    + maxConnectionsPerHost + " (expected: >= 0)");
        }
    }
}

package dev.sluice.server.config;

/**
 * Where users come from, and the bounds of the cluster's users cache (immutable, validated on construction).
 *
 * @param source                 {@code security.userSource} (default sluice)
 * @param cacheTTLSeconds        {@code security.clusterUserCacheTTLSeconds}: a cluster user's keys and privileges
 *                               are read again after this; a user dropped or changed in the cluster loses access
 *                               through Sluice within it (default 30; 1..3,600)
 * @param cacheSize              {@code security.clusterUserCacheSize}: cluster users cached at once, and users' pools
 *                               per host (default 1,000; 1..100,000)
 * @param maxConnectionsPerHost  {@code maxConnectionsPerHost}: pooled connections to one host over all its pools
 *                               (Sluice's own and every user's); 0 (the default) means no bound beyond each pool's
 *                               maxPoolSize (0..1,000,000)
 */
public record UserSourceSettings(UserSource source, long cacheTTLSeconds, int cacheSize, int maxConnectionsPerHost) {
    public static final long DEFAULT_CACHE_TTL_SECONDS = 30;
    public static final int DEFAULT_CACHE_SIZE = 1_000;

    public UserSourceSettings {
        source = source == null ? UserSource.SLUICE : source;
        Ranges.check("security.clusterUserCacheTTLSeconds", cacheTTLSeconds, 1, 3_600);
        Ranges.check("security.clusterUserCacheSize", cacheSize, 1, 100_000);
        Ranges.check("maxConnectionsPerHost", maxConnectionsPerHost, 0, 1_000_000);
    }

    public static UserSourceSettings defaults() {
        return new UserSourceSettings(UserSource.SLUICE, DEFAULT_CACHE_TTL_SECONDS, DEFAULT_CACHE_SIZE, 0);
    }

    public boolean cluster() {
        return source == UserSource.CLUSTER;
    }
}

package dev.sluice.server.upstream;

/**
 * A snapshot of one upstream host's pool, in the terms of mongod's {@code connPoolStats}.
 *
 * @param host         "host:port"
 * @param inUse        connections checked out
 * @param available    idle pooled connections
 * @param refreshing   connections being opened (pending)
 * @param created      connections ever opened to this host
 * @param closed       connections ever closed
 * @param maxPoolSize  the limit (0 = unbounded)
 * @param waitQueueSize requests waiting for a connection now
 * @param waitQueueTimeouts requests that timed out waiting, ever
 * @param clears       times the pool was cleared (dropConnections, network errors)
 * @param generation   the pool's generation
 * @param state        "paused", "ready" or "closed"
 * @param user         whose pool it is with {@code security.userSource: cluster} ("user@db", or "(unauthenticated)"
 *                     for clients that did not log in); null for Sluice's own pool (the upstream URI's credentials)
 */
public record HostPoolStats(String host, int inUse, int available, int refreshing, long created, long closed,
                            int maxPoolSize, int waitQueueSize, long waitQueueTimeouts, long clears,
                            int generation, String state, String user) {

    /** Sluice's own pool of a host. */
    public HostPoolStats(String host, int inUse, int available, int refreshing, long created, long closed,
                         int maxPoolSize, int waitQueueSize, long waitQueueTimeouts, long clears,
                         int generation, String state) {
        this(host, inUse, available, refreshing, created, closed, maxPoolSize, waitQueueSize, waitQueueTimeouts,
                clears, generation, state, null);
    }
}

package dev.sluice.server.upstream;

import dev.sluice.server.topology.TopologyDescription;

import java.util.List;

/** The upstream pools as the admin commands and the HTTP API see them. */
public interface PoolDirectory {
    /** One snapshot per upstream host pool. Cheap; callable on every admin request. */
    List<HostPoolStats> statistics();

    /**
     * With {@code security.userSource: cluster}: one snapshot per user's pool (its {@code user} set), the host
     * totals of {@link #statistics()} include them. Empty otherwise (the default).
     */
    default List<HostPoolStats> userPools() {
        return List.of();
    }

    /**
     * Drops the pooled connections to one host: idle ones are closed now, in-use ones when they come
     * back, and the host's waiters fail with a clear error. The pool keeps serving new requests.
     *
     * @param hostAndPort "host:port"
     * @return false when there is no pool for that host (a no-op)
     */
    boolean drop(String hostAndPort);

    /**
     * What Sluice knows of its upstream deployment now (immutable; a lock-free read): the admin views and metrics
     * report it beside the pools. The default, for directories without a topology, is the empty description.
     */
    default TopologyDescription topology() {
        return TopologyDescription.empty();
    }
}

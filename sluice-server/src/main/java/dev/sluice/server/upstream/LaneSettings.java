package dev.sluice.server.upstream;

import dev.sluice.pool.PoolSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a host's pool settings across its event-loop lanes so that the lanes together never hold
 * more than maxPoolSize connections nor keep more than minPoolSize: with maxPoolSize 5 over 4
 * loops, the lanes get 2, 1, 1, 1. There are never more lanes than maxPoolSize (each lane holds at
 * least one connection); loops beyond that share lanes. maxConnecting applies per lane (at least 1).
 */
final class LaneSettings {
    private LaneSettings() {
    }

    static List<PoolSettings> split(PoolSettings host, int loops) {
        int max = host.maxPoolSize();
        int lanes = max == 0 ? loops : Math.max(1, Math.min(loops, max));
        int connecting = Math.max(1, (host.maxConnecting() + lanes - 1) / lanes);
        List<PoolSettings> out = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            out.add(PoolSettings.builder(host)
                    .maxPoolSize(max == 0 ? 0 : share(max, lanes, i))
                    .minPoolSize(share(host.minPoolSize(), lanes, i))
                    .maxConnecting(connecting)
                    .build());
        }
        return out;
    }

    /** Lane i's share of total: an even split, the first lanes taking one more of the remainder. */
    static int share(int total, int lanes, int i) {
        return total / lanes + (i < total % lanes ? 1 : 0);
    }
}

package dev.sluice.server.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The read preference filters applied to candidate servers: maxStalenessSeconds first, then tag sets. */
final class EligibilityFilters {

    private EligibilityFilters() {
    }

    /**
     * Keeps the servers whose estimated staleness is at most {@code maxStalenessSeconds}. Only secondaries can be
     * stale. With a primary: {@code (S.lastUpdateTime - S.lastWriteDate) - (P.lastUpdateTime - P.lastWriteDate)
     * + heartbeatFrequencyMS}; without one: {@code SMax.lastWriteDate - S.lastWriteDate + heartbeatFrequencyMS},
     * SMax the secondary with the latest write. A secondary that reports no lastWriteDate is treated as too stale.
     */
    static List<ServerDescription> byStaleness(List<ServerDescription> candidates, TopologyDescription topology,
                                               long maxStalenessSeconds, long heartbeatFrequencyMS) {
        long maxMillis = maxStalenessSeconds * 1000;
        Optional<ServerDescription> primary = topology.primary().filter(p -> p.lastWriteDateMillis() != null);
        long newestSecondaryWrite = Long.MIN_VALUE;
        for (ServerDescription s : topology.serverDescriptions()) {
            if (s.type() == ServerType.RS_SECONDARY && s.lastWriteDateMillis() != null) {
                newestSecondaryWrite = Math.max(newestSecondaryWrite, s.lastWriteDateMillis());
            }
        }
        List<ServerDescription> out = new ArrayList<>();
        for (ServerDescription s : candidates) {
            if (s.type() != ServerType.RS_SECONDARY) {
                out.add(s);
                continue;
            }
            if (s.lastWriteDateMillis() == null) {
                continue;
            }
            long staleness;
            if (primary.isPresent()) {
                ServerDescription p = primary.get();
                staleness = (s.lastUpdateTimeMillis() - s.lastWriteDateMillis())
                        - (p.lastUpdateTimeMillis() - p.lastWriteDateMillis()) + heartbeatFrequencyMS;
            } else {
                staleness = newestSecondaryWrite - s.lastWriteDateMillis() + heartbeatFrequencyMS;
            }
            if (staleness <= maxMillis) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Tries the tag sets in order and keeps the candidates matching the first set that matches any (a set matches a
     * server when it is a subset of the server's tags). No tag sets: everything matches.
     */
    static List<ServerDescription> byTags(List<ServerDescription> candidates, List<Map<String, String>> tagSets) {
        if (tagSets.isEmpty()) {
            return candidates;
        }
        for (Map<String, String> set : tagSets) {
            List<ServerDescription> matching = new ArrayList<>();
            for (ServerDescription s : candidates) {
                if (s.tags().entrySet().containsAll(set.entrySet())) {
                    matching.add(s);
                }
            }
            if (!matching.isEmpty()) {
                return matching;
            }
        }
        return List.of();
    }
}

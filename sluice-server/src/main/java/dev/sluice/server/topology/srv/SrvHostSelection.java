package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * srvMaxHosts: which of the SRV records' hosts the topology gets, at start and at each rescan. Randomness is a
 * Fisher-Yates shuffle ({@link Collections#shuffle(List, Random)}), as the spec recommends, with an injected
 * {@link Random}.
 */
final class SrvHostSelection {

    private SrvHostSelection() {
    }

    /**
     * Initial seed list: all hosts when {@code maxHosts} is 0 or not below their number, else {@code maxHosts} of
     * them chosen at random.
     */
    static List<ServerAddress> initial(List<ServerAddress> hosts, int maxHosts, Random random) {
        if (maxHosts == 0 || maxHosts >= hosts.size()) {
            return List.copyOf(hosts);
        }
        List<ServerAddress> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, maxHosts));
    }

    /**
     * Rescan (Polling SRV Records spec): hosts no longer valid are removed, the others left alone; new valid hosts are
     * all added when {@code maxHosts} is 0, else chosen at random until the topology has {@code maxHosts} hosts.
     *
     * @param current the topology's hosts now
     * @param valid   the verified hosts the rescan found (not empty: an empty rescan changes nothing)
     */
    static SrvHostChange rescan(Collection<ServerAddress> current, List<ServerAddress> valid, int maxHosts,
                                Random random) {
        Set<ServerAddress> validSet = Set.copyOf(valid);
        List<ServerAddress> kept = new ArrayList<>();
        List<ServerAddress> removed = new ArrayList<>();
        for (ServerAddress a : current) {
            (validSet.contains(a) ? kept : removed).add(a);
        }
        List<ServerAddress> fresh = new ArrayList<>();
        for (ServerAddress a : valid) {
            if (!kept.contains(a) && !fresh.contains(a)) {
                fresh.add(a);
            }
        }
        if (maxHosts > 0) {
            Collections.shuffle(fresh, random);
            int room = Math.max(0, maxHosts - kept.size());
            fresh = fresh.subList(0, Math.min(room, fresh.size()));
        }
        List<ServerAddress> hosts = new ArrayList<>(kept);
        hosts.addAll(fresh);
        return new SrvHostChange(fresh, removed, hosts);
    }
}

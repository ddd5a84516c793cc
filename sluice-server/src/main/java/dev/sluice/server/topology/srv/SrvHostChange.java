package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;

import java.util.List;

/**
 * What a rescan changes: the hosts to add to the topology (as Unknown), those to remove, and the host list after.
 *
 * @param added   new hosts, in the order chosen
 * @param removed hosts no longer in the SRV records
 * @param hosts   the topology's hosts once applied: those kept, then those added
 */
public record SrvHostChange(List<ServerAddress> added, List<ServerAddress> removed, List<ServerAddress> hosts) {

    public SrvHostChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        hosts = List.copyOf(hosts);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}

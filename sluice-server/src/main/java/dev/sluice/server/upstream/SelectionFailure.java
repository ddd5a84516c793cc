package dev.sluice.server.upstream;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.TopologyDescription;

import java.util.Map;

/** The text of a server selection that timed out: what was asked, what the topology is, each server's state. */
final class SelectionFailure {
    private SelectionFailure() {
    }

    static String describe(OperationKind kind, ReadPreference readPreference, TopologyDescription topology,
                           long timeoutMS) {
        StringBuilder s = new StringBuilder("Could not find host matching read preference ");
        s.append(kind == OperationKind.WRITE ? "{ mode: \"primary\" } (a write or a command for the primary)"
                : render(readPreference));
        s.append(" within ").append(timeoutMS).append(" ms (serverSelectionTimeoutMS); topology ")
                .append(topology.type().specName());
        if (topology.setName() != null) {
            s.append(" (replica set ").append(topology.setName()).append(')');
        }
        s.append(", servers: [");
        boolean first = true;
        for (ServerDescription d : topology.serverDescriptions()) {
            s.append(first ? "" : ", ").append(d.address()).append(' ').append(d.type().specName());
            if (d.error() != null) {
                s.append(" (").append(d.error()).append(')');
            }
            first = false;
        }
        return s.append(']').toString();
    }

    private static String render(ReadPreference rp) {
        ReadPreference p = rp == null ? ReadPreference.PRIMARY : rp;
        StringBuilder s = new StringBuilder("{ mode: \"").append(p.mode().wireName()).append('"');
        if (!p.tagSets().isEmpty()) {
            s.append(", tags: [");
            boolean first = true;
            for (Map<String, String> set : p.tagSets()) {
                s.append(first ? "" : ", ").append(set);
                first = false;
            }
            s.append(']');
        }
        p.maxStalenessSeconds().ifPresent(m -> s.append(", maxStalenessSeconds: ").append(m));
        return s.append(" }").toString();
    }
}

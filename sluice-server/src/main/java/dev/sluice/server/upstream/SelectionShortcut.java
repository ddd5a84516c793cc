package dev.sluice.server.upstream;

import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerSelector;
import dev.sluice.server.topology.TopologyDescription;

import java.util.Collection;
import java.util.List;

/**
 * The server selection of the request path when it has one answer: for a topology description (immutable, replaced
 * on every change), an operation kind and a read preference (the same instance: the upstream URI's, or none), with no
 * server to avoid, when the latency window holds exactly one server, selection always gives that server (power of
 * two choices only matters between two or more). That answer is remembered for the description it was computed on,
 * so the next operations get it without the selector's lists nor a {@link ServerSelection}; any change of the
 * description, another kind or read preference, or servers to avoid, take the full selection.
 */
final class SelectionShortcut {
    private record Answer(TopologyDescription description, OperationKind kind, ReadPreference readPreference,
                          ServerDescription server /* null: not one answer */) {
    }

    private final ServerSelector selector;
    private volatile Answer last;

    SelectionShortcut(ServerSelector selector) {
        this.selector = selector;
    }

    /** The one server selection would give now, or null when it is not known to be one (then select fully). */
    ServerDescription sole(TopologyDescription description, OperationKind kind, ReadPreference readPreference,
                           Collection<ServerAddress> deprioritized) {
        if (deprioritized != null && !deprioritized.isEmpty()) {
            return null;
        }
        Answer a = last;
        if (a != null && a.description == description && a.kind == kind && a.readPreference == readPreference) {
            return a.server;
        }
        ServerDescription server = compute(description, kind, readPreference);
        last = new Answer(description, kind, readPreference, server); // null too: no recomputing per operation
        return server;
    }

    private ServerDescription compute(TopologyDescription description, OperationKind kind,
                                      ReadPreference readPreference) {
        try {
            List<ServerDescription> window = selector.inLatencyWindow(
                    selector.suitableServers(description, kind, readPreference, null));
            return window.size() == 1 ? window.get(0) : null;
        } catch (RuntimeException e) {
            return null; // an invalid read preference, an incompatible topology: the full selection reports it
        }
    }
}

package dev.sluice.server.topology;

/**
 * The SDAM monitoring events: the topology's contract with logs, metrics and the admin views. Published in order,
 * synchronously, while the topology holds its lock.
 */
public sealed interface TopologyEvent {

    /** The topology was created; the first event. */
    record TopologyOpening() implements TopologyEvent {
    }

    /** The topology was closed; the last event. */
    record TopologyClosed() implements TopologyEvent {
    }

    /** A server was added (a seed, or a member another server reported). */
    record ServerOpening(ServerAddress address) implements TopologyEvent {
    }

    /** A server was removed from the topology. */
    record ServerClosed(ServerAddress address) implements TopologyEvent {
    }

    /** A server's description changed (not counting round trip time). */
    record ServerDescriptionChanged(ServerAddress address, ServerDescription previous, ServerDescription current)
            implements TopologyEvent {
    }

    /** The topology description changed (not counting round trip times). */
    record TopologyDescriptionChanged(TopologyDescription previous, TopologyDescription current)
            implements TopologyEvent {
    }
}

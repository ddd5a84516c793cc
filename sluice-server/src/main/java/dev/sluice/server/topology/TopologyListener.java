package dev.sluice.server.topology;

/**
 * Receives SDAM events. Called synchronously while the topology holds its lock, so it must be quick, must not block
 * and must not call back into the topology's update methods. An exception it throws is swallowed.
 */
@FunctionalInterface
public interface TopologyListener {

    /** The listener that ignores everything. */
    TopologyListener NOOP = e -> { };

    /** @param event the event */
    void onEvent(TopologyEvent event);
}

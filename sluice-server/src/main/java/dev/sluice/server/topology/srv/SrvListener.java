package dev.sluice.server.topology.srv;

/**
 * Told by a {@link SrvMonitor} when a rescan changes the hosts: add {@link SrvHostChange#added()} to the topology as
 * Unknown, remove {@link SrvHostChange#removed()}, leave the others alone. Called on the monitor's scheduler thread
 * (an event loop): must not block.
 */
@FunctionalInterface
public interface SrvListener {

    void hostsChanged(SrvHostChange change);
}

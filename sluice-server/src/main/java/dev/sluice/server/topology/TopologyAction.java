package dev.sluice.server.topology;

/**
 * Something the caller of {@link Topology} must do after an update: the topology itself does no I/O. Apply the
 * actions of one update, in order, before feeding the topology the next event for the same server, so that pool
 * clears stay in step with the descriptions (SDAM requires clearing a pool "synchronized with" marking it Unknown).
 */
public sealed interface TopologyAction {

    /** @return the server the action is about */
    ServerAddress address();

    /** A server joined the topology: create its monitor (and, lazily, its pool). */
    record StartMonitoring(ServerAddress address) implements TopologyAction {
    }

    /** A server left the topology: stop its monitor and close its pool. */
    record StopMonitoring(ServerAddress address) implements TopologyAction {
    }

    /**
     * Clear the server's pool (CMAP clear: bump the generation, pause the pool, close idle connections).
     *
     * @param interruptInUseConnections also close connections now in use (after a monitor timeout)
     * @param generation                the pool generation after the clear, as the topology counts it
     * @param reason                    why, for logs
     */
    record ClearPool(ServerAddress address, boolean interruptInUseConnections, int generation, String reason)
            implements TopologyAction {
    }

    /** A check succeeded on a server Sluice may use: mark its pool ready (CMAP), creating it if needed. */
    record MarkPoolReady(ServerAddress address) implements TopologyAction {
    }

    /** Wake the server's monitor for a check now (after a state change error, or an invalidated primary). */
    record RequestImmediateCheck(ServerAddress address) implements TopologyAction {
    }

    /** Cancel the server's in-progress monitor check (after a network error on an application connection). */
    record CancelInProgressCheck(ServerAddress address) implements TopologyAction {
    }
}

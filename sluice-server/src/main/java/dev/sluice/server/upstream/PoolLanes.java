package dev.sluice.server.upstream;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolStatistics;

import java.util.List;

/**
 * One pool of one host for one identity, split in lanes: one CMAP pool per event loop, each opening its
 * connections on its own loop. A client whose lane is exhausted borrows an idle connection from another lane,
 * or opens one in a lane with room, before it waits.
 */
final class PoolLanes {
    private final ConnectionPool<BackendConnection>[] lanes;
    private final LoopLanes loopLanes;
    /** The identity's name in statistics ("user@db"), or null for Sluice's service identity. */
    private final String user;

    PoolLanes(List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes, String user) {
        @SuppressWarnings("unchecked")
        ConnectionPool<BackendConnection>[] array = lanes.toArray(new ConnectionPool[0]);
        this.lanes = array;
        this.loopLanes = loopLanes;
        this.user = user;
    }

    void checkOut(Object caller, CheckOutCallback<BackendConnection> callback) {
        int own = loopLanes.laneOf(caller, lanes.length);
        ConnectionPool<BackendConnection> pool = lanes[own];
        if (lanes.length > 1 && !pool.hasAvailableConnection() && pool.atMaxPoolSize()) {
            // own lane exhausted: an idle connection of another lane, else a lane with room to open one,
            // so that the host's maxPoolSize is usable whatever the loops its clients landed on
            ConnectionPool<BackendConnection> roomy = null;
            ConnectionPool<BackendConnection> idle = null;
            for (int i = 1; i < lanes.length && idle == null; i++) {
                ConnectionPool<BackendConnection> other = lanes[(own + i) % lanes.length];
                if (other.hasAvailableConnection()) {
                    idle = other;
                } else if (roomy == null && !other.atMaxPoolSize()) {
                    roomy = other;
                }
            }
            if (idle != null) {
                pool = idle;
            } else if (roomy != null) {
                pool = roomy;
            }
        }
        pool.checkOutAsync(callback);
    }

    void clear(boolean interruptInUseConnections) {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.clear(interruptInUseConnections);
            lane.runMaintenance();
        }
    }

    boolean isReady() {
        return "ready".equals(lanes[0].statistics().state());
    }

    void ready() {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.ready();
        }
    }

    int generation() {
        return lanes[0].generation();
    }

    /**
     * Sets the identity's maximum at runtime, split across the lanes as at creation (each lane at least one);
     * 0 is unbounded, as in the settings.
     */
    void resize(int maxPoolSize) {
        if (maxPoolSize == 0) {
            for (ConnectionPool<BackendConnection> lane : lanes) {
                lane.resize(0);
            }
            return;
        }
        int total = Math.max(maxPoolSize, lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            lanes[i].resize(LaneSettings.share(total, lanes.length, i));
        }
    }

    int laneCount() {
        return lanes.length;
    }

    /** True when no connection is checked out, idle or being opened. */
    boolean isEmpty() {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            PoolStatistics s = lane.statistics();
            if (s.inUse() + s.available() + s.pending() + s.waitQueueSize() > 0) {
                return false;
            }
        }
        return true;
    }

    /** The sum of the lanes' figures. */
    HostPoolStats stats(String host) {
        int inUse = 0;
        int available = 0;
        int pending = 0;
        long created = 0;
        long closed = 0;
        int max = 0;
        int waiting = 0;
        long timeouts = 0;
        long clears = 0;
        int generation = 0;
        String state = "closed";
        for (ConnectionPool<BackendConnection> lane : lanes) {
            PoolStatistics s = lane.statistics();
            inUse += s.inUse();
            available += s.available();
            pending += s.pending();
            created += s.totalCreated();
            closed += s.totalClosed();
            max += s.maxPoolSize();
            waiting += s.waitQueueSize();
            timeouts += s.waitQueueTimeouts();
            clears = Math.max(clears, s.clears());
            generation = Math.max(generation, s.generation());
            state = s.state();
        }
        return new HostPoolStats(host, inUse, available, pending, created, closed, max, waiting, timeouts, clears,
                generation, state, user);
    }

    void close() {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.close();
        }
    }
}

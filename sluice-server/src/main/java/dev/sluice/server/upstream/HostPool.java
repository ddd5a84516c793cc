package dev.sluice.server.upstream;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolStatistics;

import java.util.List;

/**
 * The backend connections to one upstream host: one CMAP pool per event loop ("lane"), each opening
 * its connections on its own loop, so a client's request and the connection it borrows share a
 * thread (no hand-off on the fast path). The host's maxPoolSize and minPoolSize are split across
 * the lanes, so the host never sees more than maxPoolSize connections; a client whose lane is
 * exhausted borrows an idle connection from another lane before it waits.
 */
public final class HostPool implements AutoCloseable {
    private final String host;
    private final ConnectionPool<BackendConnection>[] lanes;
    private final LoopLanes loopLanes;
    private final java.util.concurrent.atomic.AtomicInteger operations = new java.util.concurrent.atomic.AtomicInteger();

    HostPool(String host, List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes) {
        this.host = host;
        @SuppressWarnings("unchecked")
        ConnectionPool<BackendConnection>[] array = lanes.toArray(new ConnectionPool[0]);
        this.lanes = array;
        this.loopLanes = loopLanes;
    }

    public String host() {
        return host;
    }

    /**
     * Borrows a connection for a request running on {@code caller} (an event loop, or any thread);
     * the callback runs once, on whatever thread serves or fails the request.
     */
    public void checkOut(Object caller, CheckOutCallback<BackendConnection> callback) {
        int own = loopLanes.laneOf(caller, lanes.length);
        ConnectionPool<BackendConnection> pool = lanes[own];
        if (lanes.length > 1 && !pool.hasAvailableConnection() && isFull(pool)) {
            for (int i = 1; i < lanes.length; i++) {
                ConnectionPool<BackendConnection> other = lanes[(own + i) % lanes.length];
                if (other.hasAvailableConnection()) {
                    pool = other;
                    break;
                }
            }
        }
        pool.checkOutAsync(callback);
    }

    private static boolean isFull(ConnectionPool<BackendConnection> pool) {
        PoolStatistics s = pool.statistics();
        return s.maxPoolSize() > 0 && s.inUse() + s.pending() >= s.maxPoolSize();
    }

    /**
     * Clears every lane (CMAP clear: the generation goes up by one, the pool pauses, waiters fail, idle connections
     * close now). Only the topology decides this (a ClearPool action), so the host's generation stays equal to the
     * topology's count; the pool serves again once marked ready.
     *
     * @param interruptInUseConnections close in-use connections now, failing their operations
     */
    void clear(boolean interruptInUseConnections) {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.clear(interruptInUseConnections);
            lane.runMaintenance();
        }
    }

    /** True when the pool serves check-outs (not paused by a clear, not closed). */
    boolean isReady() {
        return "ready".equals(lanes[0].statistics().state());
    }

    /** Marks every lane ready (after a successful check of the server). */
    void ready() {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.ready();
        }
    }

    /** The pool generation: every lane is cleared together, so they all have the same. */
    public int generation() {
        return lanes[0].generation();
    }

    /** An operation was routed to this host (server selection prefers the less busy of two hosts). */
    public void operationStarted() {
        operations.incrementAndGet();
    }

    /** An operation routed here ended. */
    public void operationEnded() {
        operations.decrementAndGet();
    }

    /** Operations routed to this host and not ended. */
    public int operations() {
        return operations.get();
    }

    /** The host's figures: the sum of its lanes. */
    public HostPoolStats stats() {
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
                generation, state);
    }

    /**
     * Sets the host's maximum at runtime, split across the lanes as at creation (each lane at least one).
     * Lanes shrink without interrupting anyone: surplus idle connections close now, busy ones at check-in.
     */
    void resize(int maxPoolSize) {
        int total = Math.max(maxPoolSize, lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            lanes[i].resize(LaneSettings.share(total, lanes.length, i));
        }
    }

    /** How many lanes (event-loop pools) the host's connections are split into. */
    public int laneCount() {
        return lanes.length;
    }

    @Override
    public void close() {
        for (ConnectionPool<BackendConnection> lane : lanes) {
            lane.close();
        }
    }
}

package dev.sluice.server.upstream;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolStatistics;
import dev.sluice.pool.PooledConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool of backend connections to one upstream host. */
public final class HostPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostPool.class);

    private final String host;
    private final ConnectionPool<BackendConnection> pool;

    HostPool(String host, ConnectionPool<BackendConnection> pool) {
        this.host = host;
        this.pool = pool;
    }

    public String host() {
        return host;
    }

    /** Borrows a connection; the callback runs once, on whatever thread serves or fails the request. */
    public void checkOut(CheckOutCallback<BackendConnection> callback) {
        pool.checkOutAsync(callback);
    }

    /**
     * A network error on a connection of this pool: the host's connections are suspect, so the pool
     * is cleared (once per generation) and keeps serving with new connections.
     */
    public void networkError(PooledConnection<BackendConnection> failed, UpstreamException cause) {
        if (failed.generation() == pool.statistics().generation()) {
            LOG.warn("[pool {}] network error, clearing the pool: {}", host, cause.getMessage());
            clearNow();
        }
    }

    /** dropConnections: closes idle connections now and in-use ones when they come back. */
    public void drop() {
        clearNow();
    }

    /** Clears the pool, closes its idle connections on this thread, and keeps serving. */
    private void clearNow() {
        pool.clear();
        pool.runMaintenance();
        pool.ready();
    }

    void ready() {
        pool.ready();
    }

    public PoolStatistics statistics() {
        return pool.statistics();
    }

    public HostPoolStats stats() {
        PoolStatistics s = pool.statistics();
        return new HostPoolStats(host, s.inUse(), s.available(), s.pending(), s.totalCreated(), s.totalClosed(),
                s.maxPoolSize(), s.waitQueueSize(), s.waitQueueTimeouts(), s.clears(), s.generation(), s.state());
    }

    @Override
    public void close() {
        pool.close();
    }
}

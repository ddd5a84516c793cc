package dev.sluice.pool.internal;

import dev.sluice.pool.ConnectionCreationException;
import dev.sluice.pool.PoolClearedException;
import dev.sluice.pool.PoolClosedException;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.WaitQueueTimeoutException;

import java.util.concurrent.TimeUnit;

/** The errors a pool raises, each saying what happened, to which pool, and the figures that matter. */
final class PoolMessages {

    private final String address;
    private final PoolSettings settings;

    PoolMessages(String address, PoolSettings settings) {
        this.address = address;
        this.settings = settings;
    }

    PoolClosedException closed() {
        return new PoolClosedException("Attempted to check out a connection from closed connection pool " + address,
                address);
    }

    PoolClearedException paused(int generation) {
        return new PoolClearedException("Connection pool for " + address + " is paused (cleared, generation "
                + generation + ", and not marked ready since); retry once the server is reachable again", address);
    }

    PoolClearedException clearedWhileWaiting() {
        return new PoolClearedException("Connection pool for " + address
                + " was cleared while this check-out waited for a connection; retry once the server is reachable again",
                address);
    }

    PoolException interrupted() {
        return new PoolException("Interrupted while waiting for a connection from pool " + address, address, null);
    }

    ConnectionCreationException creationFailed(long id, Throwable cause) {
        return new ConnectionCreationException("Failed to open connection " + id + " to " + address + ": "
                + (cause == null ? "the factory completed without a connection" : cause), address, cause);
    }

    WaitQueueTimeoutException timeout(long timeoutNanos, boolean fromSettings, int maxPoolSize, int inUse,
                                      int available, int pending, int waiting) {
        long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        String limit = fromSettings ? "waitQueueTimeoutMS=" + ms : "check-out timeout " + ms + " ms";
        String max = maxPoolSize == 0 ? "0 (unbounded)" : Integer.toString(maxPoolSize);
        return new WaitQueueTimeoutException("Timed out after " + ms + " ms waiting for a connection from pool "
                + address + " (" + limit + "; maxPoolSize=" + max + ", inUse=" + inUse + ", available=" + available
                + ", pending=" + pending + ", waiting=" + waiting + ")", address);
    }
}

package dev.sluice.pool.internal;

import dev.sluice.pool.ConnectionClosedEvent;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pool's background runs: each closes stale and idle available connections and, while the pool is ready, opens
 * connections until minPoolSize, never more than maxConnecting at once. A run does what it can and ends; it never
 * waits. Runs are scheduled every maintenanceIntervalMS (none when {@code <= 0}), right after a clear, and right
 * after ready when minPoolSize &gt; 0; {@link #run()} may also be called directly.
 */
final class Maintenance<C> implements Runnable {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final PoolCore<C> pool;
    private final ScheduledExecutorService scheduler;
    private final long intervalMS;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> periodic;

    Maintenance(PoolCore<C> pool, ScheduledExecutorService scheduler, long intervalMS) {
        this.pool = pool;
        this.scheduler = scheduler;
        this.intervalMS = intervalMS;
    }

    void start() {
        if (intervalMS > 0) {
            periodic = scheduler.scheduleWithFixedDelay(this, intervalMS, intervalMS, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for a run as soon as possible, unless runs are disabled or the pool is closed. */
    void runSoon() {
        if (intervalMS <= 0 || stopped) {
            return;
        }
        try {
            scheduler.execute(this);
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "[pool " + pool.address() + "] scheduler refused a maintenance run", e);
        }
    }

    void stop() {
        stopped = true;
        ScheduledFuture<?> p = periodic;
        if (p != null) {
            p.cancel(false);
        }
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        try {
            prunePerished();
            pool.populate();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and keep the schedule alive
            LOG.log(Level.WARNING, "[pool " + pool.address() + "] maintenance run failed", e);
        }
    }

    private void prunePerished() {
        for (PoolEntry<C> e : pool.entries()) {
            if (e.state() != PoolEntry.AVAILABLE) {
                continue;
            }
            ConnectionClosedEvent.Reason reason = pool.perishedReason(e);
            if (reason != null && e.tryAcquire()) {
                pool.closeHeld(e, reason);
            }
        }
    }
}

package dev.sluice.server.route;

import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;

/**
 * A forwarded operation in progress. Cancelling it (the client went away or was killed) closes the
 * backend connection it holds, whose state is then unknown; a connection that arrives after the
 * cancel is returned unused. An operation that runs to completion (a retryable write Sluice
 * records for its retries) ignores the cancel: it is sent and its reply recorded all the same.
 */
public final class InFlight {
    private final boolean runsToCompletion;
    private PooledConnection<BackendConnection> connection;
    private boolean cancelled;
    private boolean finished;

    public InFlight() {
        this(false);
    }

    /** @param runsToCompletion a cancel neither closes its connection nor stops it from being sent */
    InFlight(boolean runsToCompletion) {
        this.runsToCompletion = runsToCompletion;
    }

    /** Attaches the borrowed connection; false (and the connection is returned) if already cancelled. */
    synchronized boolean attach(PooledConnection<BackendConnection> c) {
        if (cancelled && !runsToCompletion) {
            c.checkIn();
            return false;
        }
        connection = c;
        return true;
    }

    /** The operation completed: returns the connection to its pool. */
    void finish() {
        PooledConnection<BackendConnection> c = take();
        if (c != null) {
            c.checkIn();
        }
    }

    /** The connection's state is unknown: close it instead of returning it. */
    void discard() {
        PooledConnection<BackendConnection> c = take();
        if (c != null) {
            c.discard();
        }
    }

    /** Ends the operation once: the connection it held, or null (none, or already ended). */
    private synchronized PooledConnection<BackendConnection> take() {
        if (finished) {
            return null;
        }
        finished = true;
        PooledConnection<BackendConnection> c = connection;
        connection = null;
        return c;
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Cancels: a held connection is closed (never reused); a pending checkout is returned when it arrives. */
    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (runsToCompletion) {
                return;
            }
        }
        discard();
    }
}

package dev.sluice.server.route;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;
import dev.sluice.server.upstream.BackendConnection;
import dev.sluice.server.upstream.UpstreamException;

import java.util.ArrayDeque;

/**
 * A backend connection to a load balancer, as the operations of one client see it: held by the cursors and the
 * transaction that started on it ({@link #hold}) as well as by the operation running on it, and returned to its pool
 * only when none holds it any more. One operation runs on it at a time; the next waits for the check-in of the one
 * before (a driver pins a cursor or a transaction to one of its connections and does not overlap them). A discarded
 * connection (its state unknown) is lost: what was pinned to it fails with a clear error, never goes elsewhere.
 * The pool sees one check-out and one check-in for its whole life, as the Load Balancer spec asks of drivers.
 */
final class PinnedConnection implements PooledConnection<BackendConnection> {
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    /** Unique in the process (pool connection ids are per lane). */
    private final long pinId = IDS.incrementAndGet();
    private final PooledConnection<BackendConnection> lease;
    private final ArrayDeque<CheckOutCallback<BackendConnection>> waiting = new ArrayDeque<>(1);
    /** Cursors and the transaction pinned here. */
    private int holds;
    /** An operation uses the connection now. */
    private boolean busy = true;
    /** Returned to the pool or discarded. */
    private boolean ended;
    private boolean lost;

    PinnedConnection(PooledConnection<BackendConnection> lease) {
        this.lease = lease;
    }

    @Override
    public BackendConnection connection() {
        return lease.connection();
    }

    @Override
    public long id() {
        return lease.id();
    }

    @Override
    public int generation() {
        return lease.generation();
    }

    long pinId() {
        return pinId;
    }

    /** An operation for a cursor or transaction pinned here wants the connection: now, or after the current one. */
    void use(CheckOutCallback<BackendConnection> callback) {
        boolean now;
        synchronized (this) {
            now = !ended && !busy;
            if (now) {
                busy = true;
            } else if (!ended) {
                waiting.add(callback);
                return;
            }
        }
        if (now) {
            callback.completed(this, null);
        } else {
            callback.completed(null, lostError());
        }
    }

    /** A cursor or a transaction now keeps this connection. */
    synchronized void hold() {
        holds++;
    }

    /** A cursor or transaction pinned here ended: the connection goes back once nothing else holds it. */
    void release() {
        boolean back;
        synchronized (this) {
            holds = Math.max(0, holds - 1);
            back = holds == 0 && !busy && !ended;
            if (back) {
                ended = true;
            }
        }
        if (back) {
            lease.checkIn();
        }
    }

    @Override
    public void checkIn() {
        CheckOutCallback<BackendConnection> next = null;
        boolean back = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            busy = false;
            if (holds == 0) {
                ended = true;
                back = true;
            } else {
                next = waiting.poll();
                busy = next != null;
            }
        }
        if (back) {
            lease.checkIn();
            failWaiting();
        } else if (next != null) {
            next.completed(this, null);
        }
    }

    @Override
    public void discard() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            lost = true;
            busy = false;
        }
        lease.discard();
        failWaiting();
    }

    /** True once the connection was discarded: what is pinned to it cannot go on. */
    synchronized boolean isLost() {
        return lost;
    }

    private void failWaiting() {
        while (true) {
            CheckOutCallback<BackendConnection> w;
            synchronized (this) {
                w = waiting.poll();
            }
            if (w == null) {
                return;
            }
            w.completed(null, lostError());
        }
    }

    private PoolException lostError() {
        BackendConnection c = lease.connection();
        String message = "the backend connection " + c + " that this cursor or transaction was pinned to (upstream "
                + "loadBalanced=true: its getMore, killCursors, commitTransaction must go over the connection it "
                + "started on) failed or was closed";
        return new PoolException(message, c.host(),
                new UpstreamException(UpstreamException.Kind.NETWORK_ERROR, c.host(), message));
    }
}

package dev.sluice.pool.internal;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionClosedEvent.Reason;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PooledConnection;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How check-outs are served. The fast path (pool ready, a connection available) is a lock-free, allocation-free CAS
 * on an entry. Anything else becomes a {@link CheckOutRequest} in the {@link WaitQueue}, served in arrival order:
 * with an available connection, else by opening one when maxPoolSize and maxConnecting allow, else it waits for a
 * check-in, an establishment, its timeout, a clear or a close.
 *
 * <p>Fairness: waiters are served first come, first served among themselves, and a checked-in connection goes to a
 * waiter before a new one is opened. A check-out that finds an idle connection on arrival takes it even while others
 * wait (as in HikariCP): a checked-in connection wakes the longest-waiting blocked thread, which takes a connection
 * when it runs, instead of being reserved for it. Strict hand-off would cost a context switch per check-out under
 * contention (measured: 50x slower at 64 threads on 8 connections). Asynchronous waiters have no thread to wake and
 * get the connection handed to them.
 *
 * @param <C> the connection type
 */
final class CheckOutPath<C> {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final PoolCore<C> pool;

    CheckOutPath(PoolCore<C> pool) {
        this.pool = pool;
    }

    PooledConnection<C> checkOut(long timeoutNanos, boolean timeoutFromSettings) {
        long start = pool.events.start();
        pool.events.checkOutStarted();
        PoolEntry<C> e = tryFast(start);
        if (e != null) {
            return e;
        }
        CheckOutRequest<C> r = new CheckOutRequest<>(this, start, timeoutNanos, timeoutFromSettings, null,
                Thread.currentThread());
        submit(r);
        return await(r);
    }

    void checkOutAsync(CheckOutCallback<C> callback, long timeoutNanos, boolean timeoutFromSettings) {
        long start = pool.events.start();
        pool.events.checkOutStarted();
        PoolEntry<C> e = tryFast(start);
        if (e != null) {
            runCallback(callback, e, null);
            return;
        }
        submit(new CheckOutRequest<>(this, start, timeoutNanos, timeoutFromSettings, callback, null));
    }

    /** Lock-free, allocation-free: an available connection when the pool is ready and nobody waits, else null. */
    private PoolEntry<C> tryFast(long start) {
        while (pool.state == PoolState.READY) {
            PoolEntry<C> e = pool.bag.borrow();
            if (e == null) {
                return null;
            }
            Reason perished = pool.perishedReason(e);
            if (perished == null) {
                handOut(e, start);
                return e;
            }
            pool.closeHeld(e, perished);
        }
        return null;
    }

    private void handOut(PoolEntry<C> e, long start) {
        e.checkOuts++;
        pool.events.checkedOut(e.id(), start);
    }

    private void submit(CheckOutRequest<C> r) {
        PoolState refusedBy = null;
        pool.lock.lock();
        try {
            PoolState s = pool.state;
            if (s == PoolState.READY) {
                pool.queue.add(r);
            } else {
                refusedBy = s;
                r.phase = CheckOutRequest.CLAIMED;
            }
        } finally {
            pool.lock.unlock();
        }
        if (refusedBy == PoolState.CLOSED) {
            fail(r, pool.messages.closed(), ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED);
            return;
        }
        if (refusedBy == PoolState.PAUSED) {
            fail(r, pool.messages.paused(pool.generation), ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
            return;
        }
        drain();
        if (r.timeoutNanos > 0 && !r.isDelivered()) {
            r.timeoutTask(pool.scheduler.schedule(r, r.timeoutNanos, TimeUnit.NANOSECONDS));
        }
    }

    private PooledConnection<C> await(CheckOutRequest<C> r) {
        boolean interrupted = false;
        while (!r.isDelivered()) {
            LockSupport.park(r);
            if (Thread.interrupted()) {
                if (cancel(r)) {
                    Thread.currentThread().interrupt();
                    throw pool.messages.interrupted();
                }
                interrupted = true;
            }
            if (!r.isDelivered()) {
                serveSelf(r);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (r.error() != null) {
            throw r.error();
        }
        return r.result();
    }

    /**
     * A woken blocking waiter takes an available connection itself, or lets {@link #drain()} open one for the head of
     * the queue; if it finds nothing it parks again, keeping its place. The take and the claim happen under the lock,
     * and only while the request is still unclaimed: a connection borrowed by a waiter already served elsewhere, then
     * given back, was for that instant missing to {@link #drain()}, which opened one more for the next waiter.
     */
    private void serveSelf(CheckOutRequest<C> r) {
        for (;;) {
            PoolEntry<C> e;
            Reason perished = null;
            pool.lock.lock();
            try {
                if (pool.state != PoolState.READY || r.phase == CheckOutRequest.CLAIMED) {
                    return;
                }
                e = pool.bag.borrow();
                if (e != null) {
                    perished = pool.perishedReason(e);
                    if (perished == null) {
                        pool.queue.claim(r); // unclaimed, under the lock: it is ours
                    }
                }
            } finally {
                pool.lock.unlock();
            }
            if (e == null) {
                drain();
                return;
            }
            if (perished != null) {
                pool.closeHeld(e, perished);
                continue;
            }
            deliver(r, e);
            if (pool.queue.size() > 0) {
                wakeHead();
            }
            return;
        }
    }

    /** A connection became available while requests wait: wakes the longest-waiting one. */
    void wakeHead() {
        CheckOutRequest<C> head = pool.queue.head();
        if (head == null) {
            return;
        }
        if (head.waiter != null) {
            LockSupport.unpark(head.waiter);
        } else {
            drain();
        }
    }

    private boolean cancel(CheckOutRequest<C> r) {
        boolean claimed;
        pool.lock.lock();
        try {
            claimed = pool.queue.claim(r);
        } finally {
            pool.lock.unlock();
        }
        if (claimed) {
            pool.events.checkOutFailed(ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR, r.startNanos);
            wakeHead();
        }
        return claimed;
    }

    /**
     * Serves waiting requests in arrival order while it can. Takes the lock once per decision and acts outside it.
     */
    void drain() {
        for (;;) {
            CheckOutRequest<C> r;
            PoolEntry<C> entry;
            Reason perished = null;
            Establishment<C> opening = null;
            pool.lock.lock();
            try {
                r = pool.queue.peek();
                if (r == null || pool.state != PoolState.READY) {
                    return;
                }
                entry = pool.bag.borrow();
                if (entry != null) {
                    perished = pool.perishedReason(entry);
                    if (perished != null) {
                        entry.transition(PoolEntry.IN_USE, PoolEntry.REMOVED);
                    } else {
                        pool.queue.claim(r);
                    }
                } else if (pool.shouldOpenForHeadLocked()) {
                    pool.queue.startConnecting(r);
                    opening = pool.reserveLocked(r);
                } else {
                    return;
                }
            } finally {
                pool.lock.unlock();
            }
            if (perished != null) {
                pool.retire(entry, perished);
            } else if (opening != null) {
                opening.start();
            } else {
                deliver(r, entry);
            }
        }
    }

    void deliver(CheckOutRequest<C> r, PoolEntry<C> e) {
        handOut(e, r.startNanos);
        r.complete(e, null);
    }

    void fail(CheckOutRequest<C> r, PoolException error, ConnectionCheckOutFailedEvent.Reason reason) {
        pool.events.checkOutFailed(reason, r.startNanos);
        r.complete(null, error);
    }

    /** The timeout task of a request: fails it unless someone claimed it first. */
    void onTimeout(CheckOutRequest<C> r) {
        PoolException error = null;
        pool.lock.lock();
        try {
            if (r.phase != CheckOutRequest.CLAIMED) {
                error = pool.messages.timeout(r.timeoutNanos, r.timeoutFromSettings, pool.maxPoolSize(), pool.bag.count(PoolEntry.IN_USE),
                        pool.bag.count(PoolEntry.AVAILABLE), pool.pending, pool.queue.size());
                pool.queue.claim(r);
                pool.waitQueueTimeouts++;
            }
        } finally {
            pool.lock.unlock();
        }
        if (error != null) {
            fail(r, error, ConnectionCheckOutFailedEvent.Reason.TIMEOUT);
            // the next waiter may have been passed over by a wake-up meant for this one
            wakeHead();
        }
    }

    void runCallback(CheckOutCallback<C> callback, PoolEntry<C> e, PoolException error) {
        try {
            callback.completed(e, error);
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "[pool " + pool.address() + "] check-out callback threw; "
                    + (e != null ? "connection " + e.id() + " stays checked out" : "its error was " + error), ex);
        }
    }
}

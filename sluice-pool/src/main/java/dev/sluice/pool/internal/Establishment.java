package dev.sluice.pool.internal;

import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionClosedEvent.Reason;
import dev.sluice.pool.ConnectionDescriptor;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * One connection being opened ("pending"): its slot is reserved under the pool's lock, {@link #start()} runs outside
 * it, and the factory's completion decides its fate: handed to the check-out it was opened for, made available
 * (that check-out left meanwhile, or maintenance opened it), or closed (the pool was cleared or closed meanwhile,
 * or opening failed). A connection is never handed out in a generation older than the pool's.
 *
 * @param <C> the connection type
 */
final class Establishment<C> implements BiConsumer<C, Throwable> {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final PoolCore<C> pool;
    private final long id;
    private final int generation;
    /** The check-out it was opened for, or null when maintenance opened it for minPoolSize. */
    private final CheckOutRequest<C> request;
    private long createdNanos;
    /** clear(interruptInUseConnections) closed it (event emitted) while it was being opened; guarded by the lock. */
    private boolean abandoned;

    Establishment(PoolCore<C> pool, long id, int generation, CheckOutRequest<C> request) {
        this.pool = pool;
        this.id = id;
        this.generation = generation;
        this.request = request;
    }

    /** Emits ConnectionCreated and asks the factory to open the connection. Never throws. */
    void start() {
        pool.events.connectionCreated(id);
        createdNanos = pool.events.start();
        CompletionStage<C> stage;
        try {
            stage = pool.factory.open(new ConnectionDescriptor(id, pool.address(), generation));
        } catch (RuntimeException | Error e) {
            accept(null, e);
            return;
        }
        if (stage == null) {
            accept(null, new NullPointerException("ConnectionFactory.open returned null"));
            return;
        }
        stage.whenComplete(this);
    }

    long id() {
        return id;
    }

    /** Opened by maintenance for minPoolSize, not for a check-out. */
    boolean forMaintenance() {
        return request == null;
    }

    /**
     * Called under the pool's lock by an interrupting clear: this connection counts as closed from now on; when the
     * factory completes it, it is closed (or its failure dropped) without another event.
     *
     * @return false if it was abandoned already
     */
    boolean abandonLocked() {
        if (abandoned) {
            return false;
        }
        abandoned = true;
        return true;
    }

    @Override
    public void accept(C connection, Throwable failure) {
        if (failure != null || connection == null) {
            failed(failure);
        } else {
            opened(connection);
        }
        pool.checkOuts.drain();
    }

    /** Gives back this opening's slot (under the lock); @return whether it had been abandoned. */
    private boolean endLocked() {
        pool.pending--;
        pool.openings.remove(this);
        return abandoned;
    }

    private void failed(Throwable failure) {
        boolean claimed;
        pool.lock.lock();
        try {
            if (endLocked()) {
                return; // closed by an interrupting clear: its event was emitted then
            }
            pool.totalClosed++;
            claimed = request != null && pool.queue.claim(request);
        } finally {
            pool.lock.unlock();
        }
        pool.events.connectionClosed(id, Reason.ERROR);
        if (claimed) {
            pool.checkOuts.fail(request, pool.messages.creationFailed(id, failure),
                    ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
        } else {
            LOG.log(Level.DEBUG, "[pool " + pool.address() + "] opening connection " + id + " failed", failure);
        }
    }

    private void opened(C connection) {
        PoolEntry<C> e = new PoolEntry<>(pool, connection, id, generation, pool.ticker.nanoTime());
        Reason discard = null;
        boolean claimed;
        boolean wasAbandoned;
        pool.lock.lock();
        try {
            wasAbandoned = abandoned;
            if (wasAbandoned) {
                claimed = false; // closed by an interrupting clear (its event emitted then, and counted)
            } else {
                endLocked();
                if (pool.state == PoolState.CLOSED) {
                    discard = Reason.POOL_CLOSED;
                } else if (generation != pool.generation) {
                    discard = Reason.STALE;
                }
                // joins the bag even when discarded, so its slot stays counted until it is closed
                pool.bag.add(e);
                if (discard != null) {
                    e.transition(PoolEntry.IN_USE, PoolEntry.REMOVED);
                }
                claimed = request != null && pool.queue.claim(request);
                if (discard == null && !claimed) {
                    pool.readying++; // until makeAvailable: see PoolCore.readying
                }
            }
        } finally {
            pool.lock.unlock();
        }
        if (wasAbandoned) {
            // its slot is given back only once it is closed: maxPoolSize bounds the connections that exist
            pool.closeQuietly(connection, Reason.STALE, id);
            pool.lock.lock();
            try {
                endLocked();
            } finally {
                pool.lock.unlock();
            }
            return;
        }
        if (discard != null) {
            pool.retire(e, discard);
            if (claimed) {
                boolean closed = discard == Reason.POOL_CLOSED;
                pool.checkOuts.fail(request, closed ? pool.messages.closed() : pool.messages.clearedWhileWaiting(),
                        closed ? ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED
                                : ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
            }
            return;
        }
        pool.events.connectionReady(id, createdNanos);
        if (claimed) {
            pool.checkOuts.deliver(request, e);
        } else {
            pool.makeAvailable(e);
            pool.lock.lock();
            try {
                pool.readying--;
            } finally {
                pool.lock.unlock();
            }
        }
    }
}

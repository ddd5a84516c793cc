package dev.sluice.pool.internal;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionClosedEvent.Reason;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.pool.PoolException;
import dev.sluice.pool.PoolListener;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.PoolStatistics;
import dev.sluice.pool.PooledConnection;
import dev.sluice.pool.Ticker;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool engine behind {@link dev.sluice.pool.ConnectionPool}.
 *
 * <p>Concurrency rule: one lock guards the wait queue, the pending count, id assignment, membership of the
 * {@link EntryBag}, the generation and the state; state and generation are also volatile so the fast path reads them
 * without it. The fast path (ready, nobody waiting, a connection available) is a CAS on an entry's state and takes
 * no lock; check-in is a CAS back. Listeners, the factory and callbacks are called outside the lock, except the
 * pool-ready and pool-cleared events, which are emitted under it so no connection event of the new phase can
 * precede them.
 *
 * @param <C> the connection type
 */
public final class PoolCore<C> {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final String address;
    private final PoolSettings settings;
    private final ConnectionFactory<C> factory;
    private final Ticker ticker;
    private final Events events;
    private final ScheduledExecutorService scheduler;
    private final int maxTotal;
    private final int maxConnecting;
    private final long maxIdleNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final EntryBag<C> bag = new EntryBag<>();
    private final WaitQueue<C> queue = new WaitQueue<>();
    private final Maintenance<C> maintenance;
    private final PoolMessages messages;

    private volatile PoolState state = PoolState.PAUSED;
    private volatile int generation;
    // written under the lock, volatile for lock-free statistics
    private volatile int pending;
    private volatile long totalCreated;
    private volatile long totalClosed;
    private volatile long retiredCheckOuts;
    private volatile long waitQueueTimeouts;
    private volatile long clears;
    private long nextId = 1;

    /**
     * Builds a paused pool and emits PoolCreated.
     *
     * @param address   {@code host:port}
     * @param settings  the settings
     * @param factory   opens and closes connections
     * @param listener  events; {@link PoolListener#noop()} to build none
     * @param ticker    the clock
     * @param scheduler runs maintenance and wait-queue timeouts
     */
    public PoolCore(String address, PoolSettings settings, ConnectionFactory<C> factory, PoolListener listener,
                    Ticker ticker, ScheduledExecutorService scheduler) {
        this.address = address;
        this.settings = settings;
        this.factory = factory;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.events = new Events(listener, address, ticker);
        this.maxTotal = settings.maxPoolSize() == 0 ? Integer.MAX_VALUE : settings.maxPoolSize();
        this.maxConnecting = settings.maxConnecting();
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxIdleTimeMS());
        this.messages = new PoolMessages(address, settings);
        this.maintenance = new Maintenance<>(this, scheduler, settings.maintenanceIntervalMS());
        events.poolCreated(settings);
        maintenance.start();
    }

    /** @return {@code host:port} */
    public String address() {
        return address;
    }

    /** @return the settings */
    public PoolSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- check-out

    /**
     * Blocking check-out.
     *
     * @param timeoutNanos        the wait limit; 0 = none
     * @param timeoutFromSettings whether the limit is waitQueueTimeoutMS (for the message)
     * @return the connection
     */
    public PooledConnection<C> checkOut(long timeoutNanos, boolean timeoutFromSettings) {
        long start = events.start();
        events.checkOutStarted();
        PoolEntry<C> e = tryFastCheckOut(start);
        if (e != null) {
            return e;
        }
        CheckOutRequest<C> r = new CheckOutRequest<>(this, start, timeoutNanos, timeoutFromSettings, null,
                Thread.currentThread());
        submit(r);
        return await(r);
    }

    /**
     * Non-blocking check-out.
     *
     * @param callback            called exactly once
     * @param timeoutNanos        the wait limit; 0 = none
     * @param timeoutFromSettings whether the limit is waitQueueTimeoutMS (for the message)
     */
    public void checkOutAsync(CheckOutCallback<C> callback, long timeoutNanos, boolean timeoutFromSettings) {
        long start = events.start();
        events.checkOutStarted();
        PoolEntry<C> e = tryFastCheckOut(start);
        if (e != null) {
            runCallback(callback, e, null);
            return;
        }
        submit(new CheckOutRequest<>(this, start, timeoutNanos, timeoutFromSettings, callback, null));
    }

    /** Lock-free, allocation-free: an available connection when the pool is ready and nobody waits, else null. */
    private PoolEntry<C> tryFastCheckOut(long start) {
        while (state == PoolState.READY && queue.size() == 0) {
            PoolEntry<C> e = bag.borrow();
            if (e == null) {
                return null;
            }
            Reason perished = perishedReason(e);
            if (perished == null) {
                handOut(e, start);
                return e;
            }
            closeHeld(e, perished);
        }
        return null;
    }

    private void handOut(PoolEntry<C> e, long start) {
        e.checkOuts++;
        events.checkedOut(e.id(), start);
    }

    private void submit(CheckOutRequest<C> r) {
        PoolState refusedBy = null;
        lock.lock();
        try {
            PoolState s = state;
            if (s == PoolState.READY) {
                queue.add(r);
            } else {
                refusedBy = s;
                r.phase = CheckOutRequest.CLAIMED;
            }
        } finally {
            lock.unlock();
        }
        if (refusedBy == PoolState.CLOSED) {
            fail(r, messages.closed(), ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED);
            return;
        }
        if (refusedBy == PoolState.PAUSED) {
            fail(r, messages.paused(generation), ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
            return;
        }
        drain();
        if (r.timeoutNanos > 0 && !r.isDelivered()) {
            r.timeoutTask(scheduler.schedule(r, r.timeoutNanos, TimeUnit.NANOSECONDS));
        }
    }

    private PooledConnection<C> await(CheckOutRequest<C> r) {
        boolean interrupted = false;
        while (!r.isDelivered()) {
            LockSupport.park(r);
            if (Thread.interrupted()) {
                if (cancel(r)) {
                    Thread.currentThread().interrupt();
                    throw messages.interrupted();
                }
                interrupted = true;
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

    private boolean cancel(CheckOutRequest<C> r) {
        boolean claimed;
        lock.lock();
        try {
            claimed = queue.claim(r);
        } finally {
            lock.unlock();
        }
        if (claimed) {
            events.checkOutFailed(ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR, r.startNanos);
        }
        return claimed;
    }

    /**
     * Serves waiting requests in order while it can: with an available connection, else by opening one (within
     * maxPoolSize and maxConnecting). Takes the lock once per decision and acts outside it.
     */
    void drain() {
        for (;;) {
            CheckOutRequest<C> r;
            PoolEntry<C> entry;
            Reason perished = null;
            Establishment<C> opening = null;
            lock.lock();
            try {
                r = queue.peek();
                if (r == null || state != PoolState.READY) {
                    return;
                }
                entry = bag.borrow();
                if (entry != null) {
                    perished = perishedReason(entry);
                    if (perished != null) {
                        removeLocked(entry, PoolEntry.IN_USE);
                    } else {
                        queue.claim(r);
                    }
                } else if (bag.size() + pending < maxTotal && pending < maxConnecting) {
                    queue.startConnecting(r);
                    opening = reserveLocked(r);
                } else {
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (perished != null) {
                closeRemoved(entry, perished);
            } else if (opening != null) {
                opening.start(factory, address);
            } else {
                deliver(r, entry);
            }
        }
    }

    private void deliver(CheckOutRequest<C> r, PoolEntry<C> e) {
        handOut(e, r.startNanos);
        r.complete(e, null);
    }

    private void fail(CheckOutRequest<C> r, PoolException error, ConnectionCheckOutFailedEvent.Reason reason) {
        events.checkOutFailed(reason, r.startNanos);
        r.complete(null, error);
    }

    /** The timeout task of a waiting request. */
    void onTimeout(CheckOutRequest<C> r) {
        PoolException error = null;
        lock.lock();
        try {
            if (r.phase != CheckOutRequest.CLAIMED) {
                error = messages.timeout(r.timeoutNanos, r.timeoutFromSettings, bag.count(PoolEntry.IN_USE),
                        bag.count(PoolEntry.AVAILABLE), pending, queue.size());
                queue.claim(r);
                waitQueueTimeouts++;
            }
        } finally {
            lock.unlock();
        }
        if (error != null) {
            fail(r, error, ConnectionCheckOutFailedEvent.Reason.TIMEOUT);
        }
    }

    void runCallback(CheckOutCallback<C> callback, PoolEntry<C> e, PoolException error) {
        try {
            callback.completed(e, error);
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "[pool " + address + "] check-out callback threw; "
                    + (e != null ? "connection " + e.id() + " stays checked out" : "error was " + error), ex);
        }
    }

    // ---------------------------------------------------------------- establishment

    private Establishment<C> reserveLocked(CheckOutRequest<C> r) {
        pending++;
        totalCreated++;
        return new Establishment<>(this, nextId++, generation, r);
    }

    /** Emits ConnectionCreated; returns the creation instant. */
    long connectionCreated(long id) {
        events.connectionCreated(id);
        return events.start();
    }

    void established(Establishment<C> est, C connection, Throwable failure) {
        CheckOutRequest<C> r = est.request;
        if (failure != null || connection == null) {
            boolean claimed;
            lock.lock();
            try {
                pending--;
                totalClosed++;
                claimed = r != null && queue.claim(r);
            } finally {
                lock.unlock();
            }
            events.connectionClosed(est.id, Reason.ERROR);
            if (claimed) {
                fail(r, messages.creationFailed(est.id, failure), ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
            } else {
                LOG.log(Level.DEBUG, "[pool " + address + "] opening connection " + est.id + " failed", failure);
            }
            drain();
            return;
        }
        PoolEntry<C> e = new PoolEntry<>(this, connection, est.id, est.generation, ticker.nanoTime());
        Reason discard = null;
        boolean claimed;
        lock.lock();
        try {
            pending--;
            if (state == PoolState.CLOSED) {
                discard = Reason.POOL_CLOSED;
            } else if (est.generation != generation) {
                discard = Reason.STALE;
            }
            if (discard != null) {
                totalClosed++;
            } else {
                bag.add(e);
            }
            claimed = r != null && queue.claim(r);
        } finally {
            lock.unlock();
        }
        if (discard != null) {
            closeRemoved(e, discard);
            if (claimed) {
                fail(r, discard == Reason.POOL_CLOSED ? messages.closed() : messages.clearedWhileWaiting(),
                        discard == Reason.POOL_CLOSED ? ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED
                                : ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
            }
        } else {
            events.connectionReady(est.id, est.createdNanos);
            if (claimed) {
                deliver(r, e);
            } else {
                makeAvailable(e);
            }
        }
        drain();
    }

    // ---------------------------------------------------------------- check-in

    void checkIn(PoolEntry<C> e) {
        int s = e.state();
        if (s != PoolEntry.IN_USE) {
            endInterruptedLease(e, s);
            return;
        }
        events.checkedIn(e.id());
        if (state == PoolState.CLOSED) {
            closeHeld(e, Reason.POOL_CLOSED);
        } else if (e.generation() != generation) {
            closeHeld(e, Reason.STALE);
        } else {
            makeAvailable(e);
        }
    }

    void discard(PoolEntry<C> e) {
        int s = e.state();
        if (s != PoolEntry.IN_USE) {
            endInterruptedLease(e, s);
            return;
        }
        events.checkedIn(e.id());
        closeHeld(e, Reason.ERROR);
    }

    private void endInterruptedLease(PoolEntry<C> e, int s) {
        if (s == PoolEntry.INTERRUPTED && e.transition(PoolEntry.INTERRUPTED, PoolEntry.REMOVED)) {
            events.checkedIn(e.id());
            return;
        }
        throw new IllegalStateException("Connection " + e.id() + " to " + address
                + " is not checked out (already checked in or discarded)");
    }

    /** Publishes a held entry as available, then re-checks for a clear or close that raced with it. */
    private void makeAvailable(PoolEntry<C> e) {
        if (maxIdleNanos > 0) {
            e.lastUsedNanos = ticker.nanoTime();
        }
        if (!e.transition(PoolEntry.IN_USE, PoolEntry.AVAILABLE)) {
            // interrupted by clear(true) meanwhile: already closed and removed
            e.transition(PoolEntry.INTERRUPTED, PoolEntry.REMOVED);
            return;
        }
        if (state == PoolState.CLOSED || e.generation() != generation) {
            if (e.tryAcquire()) {
                closeHeld(e, state == PoolState.CLOSED ? Reason.POOL_CLOSED : Reason.STALE);
            }
            return;
        }
        if (queue.size() > 0) {
            drain();
        }
    }

    // ---------------------------------------------------------------- closing connections

    Reason perishedReason(PoolEntry<C> e) {
        if (e.generation() != generation) {
            return Reason.STALE;
        }
        if (maxIdleNanos > 0 && ticker.nanoTime() - e.lastUsedNanos >= maxIdleNanos) {
            return Reason.IDLE;
        }
        return null;
    }

    /** Closes an entry the caller holds (IN_USE), freeing its slot. */
    void closeHeld(PoolEntry<C> e, Reason reason) {
        boolean removed;
        lock.lock();
        try {
            removed = removeLocked(e, PoolEntry.IN_USE);
        } finally {
            lock.unlock();
        }
        if (!removed) {
            // clear(true) interrupted it first and closed it
            e.transition(PoolEntry.INTERRUPTED, PoolEntry.REMOVED);
            return;
        }
        closeRemoved(e, reason);
        if (queue.size() > 0) {
            drain();
        }
    }

    private boolean removeLocked(PoolEntry<C> e, int from) {
        if (!e.transition(from, PoolEntry.REMOVED)) {
            return false;
        }
        retireLocked(e);
        return true;
    }

    private void retireLocked(PoolEntry<C> e) {
        bag.remove(e);
        retiredCheckOuts += e.checkOuts;
        totalClosed++;
    }

    private void closeRemoved(PoolEntry<C> e, Reason reason) {
        events.connectionClosed(e.id(), reason);
        try {
            factory.close(e.connection(), reason);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "[pool " + address + "] closing connection " + e.id() + " threw", ex);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Marks the pool ready; no-op unless paused. */
    public void ready() {
        lock.lock();
        try {
            if (state != PoolState.PAUSED) {
                return;
            }
            state = PoolState.READY;
            events.poolReady();
        } finally {
            lock.unlock();
        }
        if (settings.minPoolSize() > 0) {
            maintenance.runSoon();
        }
    }

    /**
     * Increments the generation, pauses the pool and fails every waiting check-out.
     *
     * @param interruptInUseConnections close in-use connections now rather than at check-in
     */
    public void clear(boolean interruptInUseConnections) {
        List<CheckOutRequest<C>> failed;
        List<PoolEntry<C>> interrupted = List.of();
        lock.lock();
        try {
            if (state == PoolState.CLOSED) {
                return;
            }
            generation++;
            clears++;
            if (state == PoolState.READY) {
                state = PoolState.PAUSED;
                events.poolCleared(interruptInUseConnections);
            }
            failed = queue.claimAll();
            if (interruptInUseConnections) {
                interrupted = bag.transitionAll(PoolEntry.IN_USE, PoolEntry.INTERRUPTED);
                for (PoolEntry<C> e : interrupted) {
                    retireLocked(e);
                }
            }
        } finally {
            lock.unlock();
        }
        for (PoolEntry<C> e : interrupted) {
            closeRemoved(e, Reason.STALE);
        }
        for (CheckOutRequest<C> r : failed) {
            fail(r, messages.clearedWhileWaiting(), ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
        }
        maintenance.runSoon();
    }

    /** Closes the pool and its available connections; idempotent. */
    public void close() {
        List<CheckOutRequest<C>> failed;
        List<PoolEntry<C>> idle;
        lock.lock();
        try {
            if (state == PoolState.CLOSED) {
                return;
            }
            state = PoolState.CLOSED;
            failed = queue.claimAll();
            idle = bag.transitionAll(PoolEntry.AVAILABLE, PoolEntry.REMOVED);
            for (PoolEntry<C> e : idle) {
                retireLocked(e);
            }
        } finally {
            lock.unlock();
        }
        maintenance.stop();
        for (CheckOutRequest<C> r : failed) {
            fail(r, messages.closed(), ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED);
        }
        for (PoolEntry<C> e : idle) {
            closeRemoved(e, Reason.POOL_CLOSED);
        }
        events.poolClosed();
    }

    /** Runs maintenance now, on the calling thread. */
    public void runMaintenance() {
        maintenance.run();
    }

    /** Opens connections until minPoolSize, within maxConnecting; at most the current deficit per call. */
    void populate() {
        int budget = -1;
        for (;;) {
            Establishment<C> opening;
            lock.lock();
            try {
                int total = bag.size() + pending;
                if (budget < 0) {
                    budget = settings.minPoolSize() - total;
                }
                if (state != PoolState.READY || budget <= 0 || total >= settings.minPoolSize()
                        || total >= maxTotal || pending >= maxConnecting) {
                    return;
                }
                budget--;
                opening = reserveLocked(null);
            } finally {
                lock.unlock();
            }
            opening.start(factory, address);
        }
    }

    PoolEntry<C>[] entries() {
        return bag.snapshot();
    }

    /** @return a snapshot of the figures, taken without the lock */
    public PoolStatistics statistics() {
        long checkOuts = retiredCheckOuts;
        int inUse = 0;
        int available = 0;
        for (PoolEntry<C> e : bag.snapshot()) {
            int s = e.state();
            if (s == PoolEntry.AVAILABLE) {
                available++;
            } else if (s == PoolEntry.IN_USE) {
                inUse++;
            }
            checkOuts += e.checkOuts;
        }
        return new PoolStatistics(address, settings.maxPoolSize(), settings.minPoolSize(), inUse, available, pending,
                totalCreated, totalClosed, queue.size(), generation, checkOuts, waitQueueTimeouts, clears,
                state.specName());
    }
}

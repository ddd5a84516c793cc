package dev.sluice.pool.internal;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionCheckOutFailedEvent;
import dev.sluice.pool.ConnectionClosedEvent.Reason;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.pool.PoolListener;
import dev.sluice.pool.PoolSettings;
import dev.sluice.pool.PoolStatistics;
import dev.sluice.pool.PooledConnection;
import dev.sluice.pool.Ticker;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool engine behind {@link dev.sluice.pool.ConnectionPool}: state, generation, counters, check-in and the
 * lifecycle. Check-outs are served by {@link CheckOutPath}, new connections by {@link Establishment}, background
 * work by {@link Maintenance}.
 *
 * <p>Concurrency rule: one lock guards the wait queue, the pending count, id assignment, membership of the
 * {@link EntryBag}, and changes of generation and state; those two are volatile so the lock-free fast paths read
 * them. Listeners, the factory and callbacks are called outside the lock, except the pool-ready and pool-cleared
 * events, emitted under it so that no connection event of the new phase can precede them. A closed connection keeps
 * its slot until {@code factory.close} returned, so the factory never sees more than maxPoolSize connections.
 *
 * @param <C> the connection type
 */
public final class PoolCore<C> {

    private static final System.Logger LOG = System.getLogger("dev.sluice.pool");

    private final String address;
    private final PoolSettings settings;
    final ConnectionFactory<C> factory;
    final Ticker ticker;
    final Events events;
    final ScheduledExecutorService scheduler;
    final PoolMessages messages;
    // the current maximum: settings.maxPoolSize() until resize(); written under the lock
    private volatile int maxPoolSize;
    private volatile int maxTotal;
    private final long maxIdleNanos;

    final ReentrantLock lock = new ReentrantLock();
    final EntryBag<C> bag = new EntryBag<>();
    final WaitQueue<C> queue = new WaitQueue<>();
    final CheckOutPath<C> checkOuts = new CheckOutPath<>(this);
    private final Maintenance<C> maintenance;

    volatile PoolState state = PoolState.PAUSED;
    volatile int generation;
    // written under the lock; volatile so statistics read them without it
    volatile int pending;
    /** The connections being opened (their {@link #pending} slots). */
    final List<Establishment<C>> openings = new ArrayList<>();
    /**
     * Connections opened for no check-out that are on their way to the bag's available ones (out of
     * {@link #openings}, not yet borrowable); guarded by the lock. Waiting check-outs count on them as on openings:
     * without this, a check-out arriving in that window opened one more connection than it needed.
     */
    int readying;
    volatile long totalCreated;
    volatile long totalClosed;
    volatile long waitQueueTimeouts;
    private volatile long retiredCheckOuts;
    private volatile long clears;
    private long nextId = 1;

    /**
     * Builds a paused pool, emits PoolCreated and starts scheduled maintenance.
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
        this.messages = new PoolMessages(address, settings);
        this.maxPoolSize = settings.maxPoolSize();
        this.maxTotal = limitOf(settings.maxPoolSize());
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(settings.maxIdleTimeMS());
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

    /**
     * Blocking check-out.
     *
     * @param timeoutNanos        the wait limit; 0 = none
     * @param timeoutFromSettings whether the limit is waitQueueTimeoutMS (for the message)
     * @return the connection
     */
    public PooledConnection<C> checkOut(long timeoutNanos, boolean timeoutFromSettings) {
        return checkOuts.checkOut(timeoutNanos, timeoutFromSettings);
    }

    /**
     * Non-blocking check-out.
     *
     * @param callback            called exactly once
     * @param timeoutNanos        the wait limit; 0 = none
     * @param timeoutFromSettings whether the limit is waitQueueTimeoutMS (for the message)
     */
    public void checkOutAsync(CheckOutCallback<C> callback, long timeoutNanos, boolean timeoutFromSettings) {
        checkOuts.checkOutAsync(callback, timeoutNanos, timeoutFromSettings);
    }

    // ---------------------------------------------------------------- opening

    boolean canOpenLocked() {
        int p = pending;
        return bag.size() + p < maxTotal && p < settings.maxConnecting();
    }

    /**
     * Whether the head of the wait queue should open a connection: one can be opened, and the waiting check-outs
     * outnumber the connections maintenance is opening for minPoolSize (no check-out asked for those: they serve
     * the first waiting ones when they are ready).
     */
    boolean shouldOpenForHeadLocked() {
        if (!canOpenLocked()) {
            return false;
        }
        int waiting = queue.size() - readying;
        if (waiting > openings.size()) {
            return true;
        }
        int populating = 0;
        for (Establishment<C> o : openings) {
            if (o.forMaintenance()) {
                populating++;
            }
        }
        return waiting > populating;
    }

    Establishment<C> reserveLocked(CheckOutRequest<C> r) {
        pending++;
        totalCreated++;
        Establishment<C> opening = new Establishment<>(this, nextId++, generation, r);
        openings.add(opening);
        return opening;
    }

    private static int limitOf(int maxPoolSize) {
        return maxPoolSize == 0 ? Integer.MAX_VALUE : maxPoolSize;
    }

    /** @return minPoolSize, lowered to the current maximum when a resize went below it */
    private int effectiveMinPoolSize() {
        return Math.min(settings.minPoolSize(), maxTotal);
    }

    /** @return the current maximum (0 = unbounded): settings.maxPoolSize() until {@link #resize(int)} */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /**
     * Changes the maximum at runtime. Growing lets waiters open connections at once. Shrinking closes
     * available connections beyond the new maximum now (reason IDLE: they were idle surplus) and in-use ones
     * beyond it when they are checked in; no new connection opens until the total is below the maximum. So
     * the factory never holds more than the larger of the old and new maxima, and converges to the new one.
     *
     * @param newMaxPoolSize the new maximum, 0 = unbounded
     */
    public void resize(int newMaxPoolSize) {
        if (newMaxPoolSize < 0) {
            throw new IllegalArgumentException("maxPoolSize: " + newMaxPoolSize + " (expected: >= 0; 0 = no limit)");
        }
        List<PoolEntry<C>> surplus;
        lock.lock();
        try {
            if (state == PoolState.CLOSED) {
                return;
            }
            maxPoolSize = newMaxPoolSize;
            maxTotal = limitOf(newMaxPoolSize);
            long excess = (long) bag.size() + pending - maxTotal;
            surplus = excess > 0
                    ? bag.transitionSome(PoolEntry.AVAILABLE, PoolEntry.REMOVED, (int) excess)
                    : List.of();
        } finally {
            lock.unlock();
        }
        for (PoolEntry<C> e : surplus) {
            retire(e, Reason.IDLE);
        }
        if (queue.size() > 0) {
            checkOuts.drain();
        }
    }

    /** @return whether the pool holds more connections than its current maximum (after a shrink) */
    private boolean overLimit() {
        return bag.size() + pending > maxTotal;
    }

    /** Maintenance: opens connections towards minPoolSize within maxConnecting, at most the deficit per call. */
    void populate() {
        int budget = -1;
        for (;;) {
            Establishment<C> opening;
            lock.lock();
            try {
                int total = bag.size() + pending;
                if (budget < 0) {
                    budget = effectiveMinPoolSize() - total;
                }
                if (state != PoolState.READY || budget <= 0 || total >= effectiveMinPoolSize() || !canOpenLocked()) {
                    return;
                }
                budget--;
                opening = reserveLocked(null);
            } finally {
                lock.unlock();
            }
            opening.start();
        }
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
        } else if (overLimit()) {
            closeHeld(e, Reason.IDLE);
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
    void makeAvailable(PoolEntry<C> e) {
        if (maxIdleNanos > 0) {
            e.lastUsedNanos = ticker.nanoTime();
        }
        if (!e.transition(PoolEntry.IN_USE, PoolEntry.AVAILABLE)) {
            // clear(true) interrupted it meanwhile and closed it
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
            checkOuts.wakeHead();
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

    /** Closes an entry the caller holds (IN_USE), then lets waiters use its slot. */
    void closeHeld(PoolEntry<C> e, Reason reason) {
        if (!e.transition(PoolEntry.IN_USE, PoolEntry.REMOVED)) {
            // clear(true) interrupted it first and closed it
            e.transition(PoolEntry.INTERRUPTED, PoolEntry.REMOVED);
            return;
        }
        retire(e, reason);
        if (queue.size() > 0) {
            checkOuts.drain();
        }
    }

    /** Closes a connection that never joined the pool (its event was emitted already). */
    void closeQuietly(C connection, Reason reason, long id) {
        try {
            factory.close(connection, reason);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "[pool " + address + "] closing connection " + id + " threw", ex);
        }
    }

    /** Closes an entry already marked REMOVED or INTERRUPTED by the caller, then frees its slot. */
    void retire(PoolEntry<C> e, Reason reason) {
        events.connectionClosed(e.id(), reason);
        try {
            factory.close(e.connection(), reason);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "[pool " + address + "] closing connection " + e.id() + " threw", ex);
        }
        lock.lock();
        try {
            bag.remove(e);
            retiredCheckOuts += e.checkOuts;
            totalClosed++;
        } finally {
            lock.unlock();
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
        List<Establishment<C>> abandoned = List.of();
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
                abandoned = abandonOpeningsLocked();
            }
        } finally {
            lock.unlock();
        }
        for (PoolEntry<C> e : interrupted) {
            retire(e, Reason.STALE);
        }
        // pending connections are closed too (CMAP): their slots stay counted until the factory completes them
        for (Establishment<C> o : abandoned) {
            events.connectionClosed(o.id(), Reason.STALE);
        }
        for (CheckOutRequest<C> r : failed) {
            checkOuts.fail(r, messages.clearedWhileWaiting(), ConnectionCheckOutFailedEvent.Reason.CONNECTION_ERROR);
        }
        maintenance.runSoon();
    }

    /** Marks every connection being opened abandoned (closed when the factory completes it, without events). */
    private List<Establishment<C>> abandonOpeningsLocked() {
        List<Establishment<C>> abandoned = new ArrayList<>(openings.size());
        for (Establishment<C> o : openings) {
            if (o.abandonLocked()) {
                abandoned.add(o);
                totalClosed++;
            }
        }
        return abandoned;
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
        } finally {
            lock.unlock();
        }
        maintenance.stop();
        for (CheckOutRequest<C> r : failed) {
            checkOuts.fail(r, messages.closed(), ConnectionCheckOutFailedEvent.Reason.POOL_CLOSED);
        }
        for (PoolEntry<C> e : idle) {
            retire(e, Reason.POOL_CLOSED);
        }
        events.poolClosed();
    }

    /** Runs maintenance now, on the calling thread. */
    public void runMaintenance() {
        maintenance.run();
    }

    PoolEntry<C>[] entries() {
        return bag.snapshot();
    }

    /** @return whether an idle connection may be checked out now; no lock, no allocation */
    public boolean hasAvailable() {
        for (PoolEntry<C> e : bag.snapshot()) {
            if (e.state() == PoolEntry.AVAILABLE) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the connections held and being opened reach the maximum (as {@link #canOpenLocked} counts
     *         them, without its maxConnecting bound); no lock, no allocation
     */
    public boolean atMaxPoolSize() {
        return bag.size() + pending >= maxTotal;
    }

    /** @return the current generation (incremented by each clear) */
    public int generation() {
        return generation;
    }

    /** @return a snapshot of the figures, taken without the lock */
    public PoolStatistics statistics() {
        long checkOutCount = retiredCheckOuts;
        int inUse = 0;
        int available = 0;
        for (PoolEntry<C> e : bag.snapshot()) {
            int s = e.state();
            if (s == PoolEntry.AVAILABLE) {
                available++;
            } else if (s == PoolEntry.IN_USE) {
                inUse++;
            }
            checkOutCount += e.checkOuts;
        }
        return new PoolStatistics(address, maxPoolSize, settings.minPoolSize(), inUse, available, pending,
                totalCreated, totalClosed, queue.size(), generation, checkOutCount, waitQueueTimeouts, clears,
                state.specName());
    }
}

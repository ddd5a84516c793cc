package dev.sluice.pool.internal;

import dev.sluice.pool.PooledConnection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One established connection of a pool, and the handle its holder gets. Ownership moves by CAS on {@link #state}:
 * whoever moves it from {@link #AVAILABLE} to {@link #IN_USE} owns it until it moves it back or closes it. Because the
 * set of entries is an array of states rather than a queue, an entry can never be available twice.
 *
 * @param <C> the connection type
 */
public final class PoolEntry<C> implements PooledConnection<C> {

    /** In the pool, free to take. */
    static final int AVAILABLE = 0;
    /** Held by one owner (a holder, or the pool while it closes or hands it off). */
    static final int IN_USE = 1;
    /** Closed and out of the pool; terminal. */
    static final int REMOVED = 2;
    /** Closed by clear(interruptInUseConnections=true) while held; its holder's check-in only ends the lease. */
    static final int INTERRUPTED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PoolCore<C> pool;
    private final C connection;
    private final long id;
    private final int generation;
    private volatile int state = IN_USE;
    /** When it was last made available; written by the owner before it publishes AVAILABLE. */
    long lastUsedNanos;
    /** Check-outs of this entry; written only by its current owner. */
    long checkOuts;

    PoolEntry(PoolCore<C> pool, C connection, long id, int generation, long nowNanos) {
        this.pool = pool;
        this.connection = connection;
        this.id = id;
        this.generation = generation;
        this.lastUsedNanos = nowNanos;
    }

    @Override
    public C connection() {
        return connection;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public int generation() {
        return generation;
    }

    @Override
    public void checkIn() {
        pool.checkIn(this);
    }

    @Override
    public void discard() {
        pool.discard(this);
    }

    int state() {
        return state;
    }

    boolean tryAcquire() {
        return state == AVAILABLE && STATE.compareAndSet(this, AVAILABLE, IN_USE);
    }

    boolean transition(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    @Override
    public String toString() {
        return "PooledConnection{id=" + id + ", generation=" + generation + ", state=" + state + "}";
    }
}

package dev.sluice.pool;

import java.util.List;

/**
 * Receives a pool's CMAP events: the pool's contract with metrics, logs and admin views. Every method is a no-op by
 * default. Listeners are called synchronously on the thread that caused the event, so they must be quick and must
 * not block; an exception thrown by a listener is logged and otherwise ignored. A few events (pool ready) are
 * delivered while the pool holds its internal lock, so a listener must not wait for other threads using the pool.
 */
public interface PoolListener {

    /**
     * The listener that ignores everything. A pool built with it (the default) skips event construction entirely.
     *
     * @return the shared no-op listener
     */
    static PoolListener noop() {
        return NoopListener.INSTANCE;
    }

    /**
     * Combines listeners, called in the given order.
     *
     * @param listeners the listeners
     * @return {@link #noop()} for none, the listener itself for one, else a {@link CompositeListener}
     */
    static PoolListener of(PoolListener... listeners) {
        return of(List.of(listeners));
    }

    /**
     * Combines listeners, called in the given order.
     *
     * @param listeners the listeners
     * @return {@link #noop()} for none, the listener itself for one, else a {@link CompositeListener}
     */
    static PoolListener of(List<? extends PoolListener> listeners) {
        List<PoolListener> active = listeners.stream().filter(l -> l != NoopListener.INSTANCE)
                .map(PoolListener.class::cast).toList();
        if (active.isEmpty()) {
            return noop();
        }
        return active.size() == 1 ? active.get(0) : new CompositeListener(active);
    }

    /** @param e the event */
    default void poolCreated(PoolCreatedEvent e) {
    }

    /** @param e the event */
    default void poolReady(PoolReadyEvent e) {
    }

    /** @param e the event */
    default void poolCleared(PoolClearedEvent e) {
    }

    /** @param e the event */
    default void poolClosed(PoolClosedEvent e) {
    }

    /** @param e the event */
    default void connectionCreated(ConnectionCreatedEvent e) {
    }

    /** @param e the event */
    default void connectionReady(ConnectionReadyEvent e) {
    }

    /** @param e the event */
    default void connectionClosed(ConnectionClosedEvent e) {
    }

    /** @param e the event */
    default void connectionCheckOutStarted(ConnectionCheckOutStartedEvent e) {
    }

    /** @param e the event */
    default void connectionCheckOutFailed(ConnectionCheckOutFailedEvent e) {
    }

    /** @param e the event */
    default void connectionCheckedOut(ConnectionCheckedOutEvent e) {
    }

    /**
     * A check-out succeeded, as values: the form the pool calls, once per operation. By default it builds the
     * {@link ConnectionCheckedOutEvent} and hands it to {@link #connectionCheckedOut(ConnectionCheckedOutEvent)}; a
     * listener that overrides this method instead takes every check-out without an object per operation (Sluice's
     * metrics do). Override one of the two.
     *
     * @param address       the pool's {@code host:port}
     * @param connectionId  the connection's id
     * @param durationNanos time from the {@link ConnectionCheckOutStartedEvent} to the check-out, in nanoseconds
     */
    default void connectionCheckedOut(String address, long connectionId, long durationNanos) {
        connectionCheckedOut(new ConnectionCheckedOutEvent(address, connectionId, durationNanos));
    }

    /** @param e the event */
    default void connectionCheckedIn(ConnectionCheckedInEvent e) {
    }
}

package dev.sluice.pool;

/**
 * A connection checked out of a {@link ConnectionPool}. The holder must end the lease with exactly one of
 * {@link #checkIn()} or {@link #discard()}, and must not use the handle afterwards.
 *
 * @param <C> the connection type
 */
public interface PooledConnection<C> {

    /** @return the underlying connection created by the {@link ConnectionFactory} */
    C connection();

    /** @return the pool-assigned id of this connection (1, 2, 3... in order of creation) */
    long id();

    /** @return the pool generation this connection was created in */
    int generation();

    /**
     * Returns the connection to the pool. It is closed instead when it is stale (the pool was cleared since it was
     * created) or the pool is closed.
     *
     * @throws IllegalStateException if the connection is not checked out (already checked in or discarded). A handle
     *                               used after it was checked in and checked out again by someone else cannot be told
     *                               apart from the new lease: never keep a handle after ending its lease.
     */
    void checkIn();

    /**
     * Ends the lease of a connection whose state is unknown (a network error, an unread reply...): it is closed with
     * {@link ConnectionClosedEvent.Reason#ERROR} and its slot freed, never reused.
     *
     * @throws IllegalStateException if the connection is not checked out
     */
    void discard();
}

package dev.sluice.pool;

/**
 * Receives the outcome of {@link ConnectionPool#checkOutAsync(CheckOutCallback)}: called exactly once, with a
 * connection or with an error, on whatever thread frees or creates the connection or times the request out.
 *
 * @param <C> the connection type
 */
@FunctionalInterface
public interface CheckOutCallback<C> {

    /**
     * Called once when the check-out ends.
     *
     * @param connection the checked-out connection, or {@code null} when {@code error} is set
     * @param error      why the check-out failed, or {@code null} on success
     */
    void completed(PooledConnection<C> connection, PoolException error);
}

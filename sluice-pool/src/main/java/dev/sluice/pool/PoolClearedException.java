package dev.sluice.pool;

/**
 * The pool is paused: it was cleared (or never marked ready), or it was cleared while this check-out waited.
 * Retryable: the operation may be retried once the pool is ready again.
 */
public class PoolClearedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, naming the address
     * @param address the pool's {@code host:port}
     */
    public PoolClearedException(String message, String address) {
        super(message, address, null);
    }
}

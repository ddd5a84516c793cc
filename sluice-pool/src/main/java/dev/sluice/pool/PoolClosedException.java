package dev.sluice.pool;

/** The pool is closed; it will never hand out a connection again. */
public class PoolClosedException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, naming the address
     * @param address the pool's {@code host:port}
     */
    public PoolClosedException(String message, String address) {
        super(message, address, null);
    }
}

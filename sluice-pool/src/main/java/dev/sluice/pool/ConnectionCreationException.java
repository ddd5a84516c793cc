package dev.sluice.pool;

/**
 * The {@link ConnectionFactory} failed to open the connection this check-out was waiting for; the cause is attached.
 * The pool is not cleared: deciding that is the caller's job (the proxy clears on network errors).
 */
public class ConnectionCreationException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, naming the connection and the address
     * @param address the pool's {@code host:port}
     * @param cause   the factory's failure
     */
    public ConnectionCreationException(String message, String address, Throwable cause) {
        super(message, address, cause);
    }
}

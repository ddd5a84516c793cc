package dev.sluice.pool;

/**
 * A check-out failed. Unchecked; the subclasses say why. Every message names the pool's address.
 */
public class PoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String address;

    /**
     * @param message what happened, to what, and what to change
     * @param address the pool's {@code host:port}
     * @param cause   the underlying failure, or {@code null}
     */
    public PoolException(String message, String address, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /** @return the address of the pool that failed the check-out */
    public String address() {
        return address;
    }
}

package dev.sluice.pool;

/**
 * No connection became available within the wait-queue timeout. The message carries the pool's live figures, e.g.
 * {@code Timed out after 100 ms waiting for a connection from pool db1:27017 (waitQueueTimeoutMS=100;
 * maxPoolSize=8, inUse=8, available=0, pending=0, waiting=12)}.
 */
public class WaitQueueTimeoutException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the message with the live figures
     * @param address the pool's {@code host:port}
     */
    public WaitQueueTimeoutException(String message, String address) {
        super(message, address, null);
    }
}

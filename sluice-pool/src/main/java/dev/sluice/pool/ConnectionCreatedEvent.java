package dev.sluice.pool;

/**
 * Emitted when the pool starts establishing a connection (it is then "pending"); not yet usable.
 *
 * @param address      the pool's {@code host:port}
 * @param connectionId the connection's id
 */
public record ConnectionCreatedEvent(String address, long connectionId) {
}

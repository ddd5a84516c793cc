package dev.sluice.pool;

/**
 * Emitted when a holder returns (or discards) a connection, before the pool decides to keep or close it.
 *
 * @param address      the pool's {@code host:port}
 * @param connectionId the connection's id
 */
public record ConnectionCheckedInEvent(String address, long connectionId) {
}

package dev.sluice.pool;

/**
 * Emitted when a ready pool is cleared (its generation incremented and the pool paused). Clearing an already paused
 * pool increments the generation without this event.
 *
 * @param address                   the pool's {@code host:port}
 * @param interruptInUseConnections whether in-use connections were closed at once rather than when checked in
 */
public record PoolClearedEvent(String address, boolean interruptInUseConnections) {
}

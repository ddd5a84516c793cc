package dev.sluice.pool;

/**
 * Emitted once when a pool is created (it starts paused).
 *
 * @param address the pool's {@code host:port}
 * @param options the settings the pool was created with
 */
public record PoolCreatedEvent(String address, PoolSettings options) {
}

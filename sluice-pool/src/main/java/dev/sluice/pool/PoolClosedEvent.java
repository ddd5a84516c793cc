package dev.sluice.pool;

/**
 * Emitted once when a pool is closed, after its available connections were closed.
 *
 * @param address the pool's {@code host:port}
 */
public record PoolClosedEvent(String address) {
}

package dev.sluice.pool;

/**
 * Emitted when a paused pool is marked ready; never emitted for a pool that was already ready.
 *
 * @param address the pool's {@code host:port}
 */
public record PoolReadyEvent(String address) {
}

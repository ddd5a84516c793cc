package dev.sluice.pool;

/**
 * What a {@link ConnectionFactory} needs to know to open one connection of a pool.
 *
 * @param connectionId the pool-assigned id of the connection: 1 for the first connection of the pool, then
 *                     increasing by 1 for each new connection, never reused
 * @param address      the pool's address, {@code host:port}
 * @param generation   the pool generation the connection belongs to; a connection whose generation is older than
 *                     the pool's is stale and is never handed out
 */
public record ConnectionDescriptor(long connectionId, String address, int generation) {
}

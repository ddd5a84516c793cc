/**
 * Sluice's connection pool: a dependency-free implementation of the MongoDB Connection Monitoring and Pooling (CMAP)
 * specification.
 *
 * <p>Start at {@link dev.sluice.pool.ConnectionPool}: build one per server address with a
 * {@link dev.sluice.pool.ConnectionFactory} (which does all I/O), {@link dev.sluice.pool.PoolSettings} (validated,
 * immutable, readable from a MongoDB URI) and a {@link dev.sluice.pool.PoolListener} (the CMAP events, the pool's
 * contract with metrics, logs and admin views). Failures are {@link dev.sluice.pool.PoolException}s.
 */
package dev.sluice.pool;

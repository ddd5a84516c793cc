package dev.sluice.pool;

/**
 * A snapshot of a pool's figures. Taken without stopping the pool, so the figures are each exact at some instant but
 * not necessarily all at the same one.
 *
 * @param address           the pool's {@code host:port}
 * @param maxPoolSize       the configured maximum (0 = unbounded)
 * @param minPoolSize       the configured minimum
 * @param inUse             connections checked out
 * @param available         established connections waiting in the pool
 * @param pending           connections being established
 * @param totalCreated      connections created (ConnectionCreated events) since the pool was built
 * @param totalClosed       connections closed since the pool was built
 * @param waitQueueSize     check-outs waiting for a connection
 * @param generation        the current generation (incremented by each clear)
 * @param checkOutCount     successful check-outs since the pool was built
 * @param waitQueueTimeouts check-outs that failed with {@link WaitQueueTimeoutException}
 * @param clears            calls to clear
 * @param state             {@code "paused"}, {@code "ready"} or {@code "closed"}
 */
public record PoolStatistics(String address, int maxPoolSize, int minPoolSize, int inUse, int available, int pending,
                             long totalCreated, long totalClosed, int waitQueueSize, int generation,
                             long checkOutCount, long waitQueueTimeouts, long clears, String state) {

    /** @return connections counted against maxPoolSize: in use + available + pending */
    public int total() {
        return inUse + available + pending;
    }
}

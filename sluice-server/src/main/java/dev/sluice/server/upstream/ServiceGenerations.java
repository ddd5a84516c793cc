package dev.sluice.server.upstream;

import org.bson.types.ObjectId;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Pool generations per {@code serviceId}, for an upstream behind a load balancer (CMAP's clear(serviceId)): a
 * connection knows the service (the mongos behind the balancer) its handshake reached and that service's generation
 * then; clearing a service makes its connections stale (closed when next checked out) and leaves the connections to
 * the other services, and the pool, serving. Lock-free reads; one writer at a time per service.
 */
public final class ServiceGenerations {
    private final ConcurrentHashMap<ObjectId, Integer> generations = new ConcurrentHashMap<>();

    /** The current generation of {@code serviceId} (0 until it is first cleared). */
    public int current(ObjectId serviceId) {
        return generations.getOrDefault(serviceId, 0);
    }

    /**
     * Clears one service: its generation goes up by one, unless {@code seen} is already older (a late error of a
     * connection from before the last clear).
     *
     * @param seen the generation of the connection that failed
     * @return true when this call cleared it
     */
    public boolean clear(ObjectId serviceId, int seen) {
        boolean[] cleared = new boolean[1];
        generations.compute(serviceId, (id, now) -> {
            int current = now == null ? 0 : now;
            if (seen < current) {
                return current;
            }
            cleared[0] = true;
            return current + 1;
        });
        return cleared[0];
    }

    /** How many services have been cleared at least once (the admin view's figure). */
    public int clearedServices() {
        return generations.size();
    }
}

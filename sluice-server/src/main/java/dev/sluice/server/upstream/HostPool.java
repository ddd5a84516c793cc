package dev.sluice.server.upstream;

import dev.sluice.pool.CheckOutCallback;
import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The backend connections to one upstream host: Sluice's own pool (the upstream URI's credentials), and with
 * {@code security.userSource: cluster} one more pool per logged-in user ({@link UpstreamLogin}), created at its
 * first operation. Each is split in lanes ({@link PoolLanes}); the host's maxPoolSize and minPoolSize are split
 * across the lanes, so one identity never holds more than maxPoolSize connections to the host, and
 * maxConnectionsPerHost ({@link HostConnectionBudget}) bounds the sum over all identities.
 */
public final class HostPool implements AutoCloseable {
    private final String host;
    private final PoolLanes service;
    private final LoopLanes loopLanes;
    /** Opens the lanes of a user's pool, or null when there are no per-user pools. */
    private final Function<UpstreamLogin, List<ConnectionPool<BackendConnection>>> loginLanes;
    private final int maxLoginPools;
    private final Map<String, PoolLanes> logins = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger operations = new java.util.concurrent.atomic.AtomicInteger();
    /** Behind a load balancer: the generations of each service (mongos) behind it; else null. */
    private final ServiceGenerations services;

    HostPool(String host, List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes) {
        this(host, lanes, loopLanes, null, null, 0);
    }

    /** @param services the per-service generations of a load balancer's pool, or null */
    HostPool(String host, List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes,
             ServiceGenerations services) {
        this(host, lanes, loopLanes, services, null, 0);
    }

    /**
     * @param loginLanes    builds the lanes of one user's pool (null: every operation uses Sluice's own pool)
     * @param maxLoginPools how many users' pools the host may hold (security.clusterUserCacheSize)
     */
    HostPool(String host, List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes,
             Function<UpstreamLogin, List<ConnectionPool<BackendConnection>>> loginLanes, int maxLoginPools) {
        this(host, lanes, loopLanes, null, loginLanes, maxLoginPools);
    }

    HostPool(String host, List<ConnectionPool<BackendConnection>> lanes, LoopLanes loopLanes,
                     ServiceGenerations services,
                     Function<UpstreamLogin, List<ConnectionPool<BackendConnection>>> loginLanes, int maxLoginPools) {
        this.services = services;
        this.host = host;
        this.service = new PoolLanes(lanes, loopLanes, null);
        this.loopLanes = loopLanes;
        this.loginLanes = loginLanes;
        this.maxLoginPools = maxLoginPools;
    }

    public String host() {
        return host;
    }

    /**
     * Borrows a connection of Sluice's own pool for a request running on {@code caller} (an event loop, or any
     * thread); the callback runs once, on whatever thread serves or fails the request.
     */
    public void checkOut(Object caller, CheckOutCallback<BackendConnection> callback) {
        service.checkOut(caller, fresh(service, caller, callback));
    }

    /** Behind a load balancer, a check-out that skips connections of a cleared service; else the callback. */
    private CheckOutCallback<BackendConnection> fresh(PoolLanes lanes, Object caller,
                                                      CheckOutCallback<BackendConnection> callback) {
        return services == null ? callback : new FreshServiceCheckOut(lanes, caller, callback);
    }

    /**
     * Behind a load balancer: a connection whose service was cleared since it opened is perished (CMAP), closed
     * and another checked out; each pass removes one, so the loop ends.
     */
    private record FreshServiceCheckOut(PoolLanes lanes, Object caller, CheckOutCallback<BackendConnection> callback)
            implements CheckOutCallback<BackendConnection> {
        @Override
        public void completed(dev.sluice.pool.PooledConnection<BackendConnection> pooled,
                              dev.sluice.pool.PoolException error) {
            if (error == null && pooled.connection().serviceCleared()) {
                pooled.discard();
                lanes.checkOut(caller, this);
                return;
            }
            callback.completed(pooled, error);
        }
    }

    /**
     * Behind a load balancer: clears the connections of one service (CMAP clear(serviceId)); the pool keeps serving,
     * with the other services' connections and new ones.
     *
     * @param generation the service generation of the connection that failed (a stale one changes nothing)
     * @return true when the service was cleared
     */
    boolean clearService(org.bson.types.ObjectId serviceId, int generation) {
        return services != null && services.clear(serviceId, generation);
    }

    /** Behind a load balancer: how many services (mongos) had their connections cleared; 0 otherwise. */
    public int clearedServices() {
        return services == null ? 0 : services.clearedServices();
    }

    /** True for the pool of a load balancer (connections carry a serviceId). */
    public boolean loadBalanced() {
        return services != null;
    }

    /**
     * Borrows a connection logged in as {@code login}: Sluice's own pool when it is null (or when this host has no
     * per-user pools), else that user's pool (opened now if it is the user's first operation on this host).
     */
    public void checkOut(Object caller, UpstreamLogin login, CheckOutCallback<BackendConnection> callback) {
        if (login == null || loginLanes == null) {
            service.checkOut(caller, fresh(service, caller, callback));
            return;
        }
        PoolLanes pool = logins.get(login.poolKey());
        if (pool == null) {
            pool = open(login);
            if (pool == null) {
                String message = "no pool for " + login.displayName() + " on upstream " + host + ": " + logins.size()
                        + " users' pools are open, the most security.clusterUserCacheSize=" + maxLoginPools
                        + " allows, and all are busy";
                callback.completed(null, new PoolException(message, host,
                        new UpstreamException(UpstreamException.Kind.POOL_TIMEOUT, host, message)));
                return;
            }
        }
        pool.checkOut(caller, fresh(pool, caller, callback));
    }

    private synchronized PoolLanes open(UpstreamLogin login) {
        PoolLanes existing = logins.get(login.poolKey());
        if (existing != null) {
            return existing;
        }
        if (logins.size() >= maxLoginPools) {
            pruneEmpty();
            if (logins.size() >= maxLoginPools) {
                return null;
            }
        }
        PoolLanes created = new PoolLanes(loginLanes.apply(login), loopLanes, login.displayName());
        if (service.isReady()) {
            created.ready();
        }
        logins.put(login.poolKey(), created);
        return created;
    }

    private void pruneEmpty() {
        for (Iterator<PoolLanes> it = logins.values().iterator(); it.hasNext(); ) {
            PoolLanes pool = it.next();
            if (pool.isEmpty()) {
                it.remove();
                pool.close();
            }
        }
    }

    /**
     * Closes the pools of one user (dropped or changed in the cluster): idle connections now, in-use ones when
     * they come back.
     *
     * @return how many pools were closed
     */
    public int closeUser(String user, String db) {
        String prefix = user + "@" + db + "|";
        int closed = 0;
        for (Iterator<Map.Entry<String, PoolLanes>> it = logins.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, PoolLanes> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                it.remove();
                e.getValue().close();
                closed++;
            }
        }
        return closed;
    }

    /**
     * Clears every pool of the host (CMAP clear: the generation goes up by one, the pool pauses, waiters fail, idle
     * connections close now). Only the topology decides this (a ClearPool action), so the host's generation stays
     * equal to the topology's count; the pools serve again once marked ready.
     *
     * @param interruptInUseConnections close in-use connections now, failing their operations
     */
    void clear(boolean interruptInUseConnections) {
        service.clear(interruptInUseConnections);
        for (PoolLanes pool : logins.values()) {
            pool.clear(interruptInUseConnections);
        }
    }

    /** True when the pool serves check-outs (not paused by a clear, not closed). */
    boolean isReady() {
        return service.isReady();
    }

    /** Marks every pool ready (after a successful check of the server). */
    void ready() {
        service.ready();
        for (PoolLanes pool : logins.values()) {
            pool.ready();
        }
    }

    /** The pool generation (of Sluice's own pool: every pool of the host is cleared with it). */
    public int generation() {
        return service.generation();
    }

    /** An operation was routed to this host (server selection prefers the less busy of two hosts). */
    public void operationStarted() {
        operations.incrementAndGet();
    }

    /** An operation routed here ended. */
    public void operationEnded() {
        operations.decrementAndGet();
    }

    /** Operations routed to this host and not ended. */
    public int operations() {
        return operations.get();
    }

    /** The figures of Sluice's own pool of the host: the sum of its lanes. */
    public HostPoolStats stats() {
        return service.stats(host);
    }

    /** The figures of every user's pool of the host (none without userSource: cluster). */
    public List<HostPoolStats> userStats() {
        List<HostPoolStats> all = new ArrayList<>(logins.size());
        for (PoolLanes pool : logins.values()) {
            all.add(pool.stats(host));
        }
        return all;
    }

    /** The host's figures over all its pools (Sluice's own and every user's): what the host sees. */
    public HostPoolStats totals() {
        HostPoolStats sum = service.stats(host);
        if (logins.isEmpty()) {
            return sum;
        }
        for (PoolLanes pool : logins.values()) {
            HostPoolStats s = pool.stats(host);
            sum = new HostPoolStats(host, sum.inUse() + s.inUse(), sum.available() + s.available(),
                    sum.refreshing() + s.refreshing(), sum.created() + s.created(), sum.closed() + s.closed(),
                    sum.maxPoolSize() + s.maxPoolSize(), sum.waitQueueSize() + s.waitQueueSize(),
                    sum.waitQueueTimeouts() + s.waitQueueTimeouts(), sum.clears(), sum.generation(), sum.state());
        }
        return sum;
    }

    /**
     * Sets the host's maximum at runtime, split across the lanes as at creation (each lane at least one).
     * Lanes shrink without interrupting anyone: surplus idle connections close now, busy ones at check-in.
     */
    void resize(int maxPoolSize) {
        service.resize(maxPoolSize);
    }

    /** How many lanes (event-loop pools) the host's connections are split into. */
    public int laneCount() {
        return service.laneCount();
    }

    @Override
    public void close() {
        service.close();
        for (PoolLanes pool : logins.values()) {
            pool.close();
        }
        logins.clear();
    }
}

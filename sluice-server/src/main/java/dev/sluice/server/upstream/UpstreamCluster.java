package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolListener;
import dev.sluice.pool.PoolSettings;
import dev.sluice.server.config.HostAndPort;
import dev.sluice.server.config.UpstreamSettings;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream hosts and their pools. Server selection today: round-robin over the seed list (one
 * host or a list of mongos); replica-set discovery and read preference slot in here.
 */
public final class UpstreamCluster implements PoolDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCluster.class);
    /** Reported to clients until a handshake tells the real figure (MongoDB 6.0). */
    public static final int DEFAULT_WIRE_VERSION = 17;

    private final UpstreamSettings settings;
    private final Map<String, HostPool> pools = new LinkedHashMap<>();
    private final HostPool[] ordered;
    private final AtomicInteger next = new AtomicInteger();
    /** Every open backend channel, whatever holds it (pool, a drained request), for shutdown. */
    private final ChannelGroup channels = new DefaultChannelGroup("sluice-backend", GlobalEventExecutor.INSTANCE);
    private volatile int maxWireVersion;
    private volatile UpstreamFeatures features;

    /**
     * @param maxUpstreamReplyBytes the largest reply accepted from upstream (LimitSettings); a larger
     *                              one closes that one backend connection, never the host's pool
     */
    public UpstreamCluster(UpstreamSettings settings, LoopLanes loops, Class<? extends Channel> channelClass,
                           int maxUpstreamReplyBytes, PoolListener listener, ScheduledExecutorService scheduler,
                           int initialWireVersion) {
        this.settings = settings;
        this.maxWireVersion = initialWireVersion;
        List<PoolSettings> laneSettings = LaneSettings.split(settings.pool(), loops.size());
        List<HostPool> list = new ArrayList<>();
        for (HostAndPort host : settings.hosts()) {
            List<ConnectionPool<BackendConnection>> lanes = new ArrayList<>();
            for (int lane = 0; lane < laneSettings.size(); lane++) {
                BackendConnectionFactory factory = new BackendConnectionFactory(host, settings, loops.loop(lane),
                        channelClass, maxUpstreamReplyBytes, lane, this::learn, channels);
                lanes.add(ConnectionPool.builder(factory)
                        .address(host.toString())
                        .settings(laneSettings.get(lane))
                        .listener(listener)
                        .scheduler(scheduler)
                        .build());
            }
            HostPool hostPool = new HostPool(host.toString(), lanes, loops);
            pools.put(host.toString(), hostPool);
            list.add(hostPool);
        }
        this.ordered = list.toArray(new HostPool[0]);
    }

    /** Marks every pool ready and probes the first host for its wire version (bounded by connectTimeoutMS). */
    public void start() {
        for (HostPool pool : ordered) {
            pool.ready();
        }
        CompletableFuture<Integer> probe = new CompletableFuture<>();
        ordered[0].checkOut(null, (connection, error) -> {
            if (error != null) {
                probe.completeExceptionally(error);
            } else {
                int wire = connection.connection().maxWireVersion();
                connection.checkIn();
                probe.complete(wire);
            }
        });
        try {
            long wait = settings.connectTimeoutMS() == 0 ? 10_000 : settings.connectTimeoutMS() + 1_000;
            int wire = probe.get(wait, TimeUnit.MILLISECONDS);
            LOG.info("[upstream] {} reachable, maxWireVersion {}, {}", ordered[0].host(), wire, features);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("[upstream] {} not reachable at start ({}); Sluice serves anyway, reporting maxWireVersion {} until it is",
                    ordered[0].host(), cause.getMessage(), maxWireVersion);
        }
    }

    /** The pool for the next operation without a pinned host. */
    public HostPool select() {
        HostPool[] all = ordered;
        if (all.length == 1) {
            return all[0];
        }
        return all[Math.floorMod(next.getAndIncrement(), all.length)];
    }

    /** The pool of a given host, or null. */
    public HostPool pool(String host) {
        return pools.get(host);
    }

    public int maxWireVersion() {
        return maxWireVersion;
    }

    /** Records what a backend handshake reported (the latest handshake's wire version and features). */
    void learn(UpstreamFeatures learned) {
        int wireVersion = learned.maxWireVersion();
        if (wireVersion > 0 && wireVersion != maxWireVersion) {
            maxWireVersion = wireVersion;
        }
        UpstreamFeatures previous = features;
        if (!learned.equals(previous)) {
            features = learned;
            if (previous != null) {
                LOG.info("[upstream] handshake now reports {} (was {})", learned, previous);
            }
        }
    }

    /** What the latest backend handshake reported, or null before any handshake succeeded. */
    public UpstreamFeatures features() {
        return features;
    }

    /** True when the upstream is Sluice's own embedded backend. */
    public boolean embedded() {
        return settings.embedded();
    }

    public UpstreamSettings settings() {
        return settings;
    }

    @Override
    public List<HostPoolStats> statistics() {
        List<HostPoolStats> stats = new ArrayList<>(ordered.length);
        for (HostPool pool : ordered) {
            stats.add(pool.stats());
        }
        return stats;
    }

    @Override
    public boolean drop(String hostAndPort) {
        HostPool pool = pools.get(hostAndPort);
        if (pool == null) {
            return false;
        }
        LOG.info("[pool {}] dropping pooled connections (dropConnections)", hostAndPort);
        pool.drop();
        return true;
    }

    /** Closes the pools and every backend connection, waiting for the closes at most 1 s. */
    @Override
    public void close() {
        close(1_000);
    }

    /**
     * Closes the pools, then every backend connection still open (in use, or reading the reply of a
     * client that went away), waiting at most {@code timeoutMS} for the closes.
     *
     * @return false when some connections had not closed in time
     */
    public boolean close(long timeoutMS) {
        for (HostPool pool : ordered) {
            pool.close();
        }
        int open = channels.size();
        boolean done = channels.close().awaitUninterruptibly(Math.max(0, timeoutMS));
        if (!done) {
            LOG.warn("[upstream] {} backend connections not closed within {} ms; leaving them to the event loops' shutdown",
                    channels.size(), timeoutMS);
        } else if (open > 0) {
            LOG.debug("[upstream] closed {} backend connections", open);
        }
        return done;
    }
}

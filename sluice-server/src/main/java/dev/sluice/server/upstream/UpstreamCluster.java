package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionPool;
import dev.sluice.pool.PoolListener;
import dev.sluice.pool.PoolSettings;
import dev.sluice.server.config.LimitSettings;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.OperationKind;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceException;
import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerSelector;
import dev.sluice.server.topology.Topology;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyEvent;
import dev.sluice.server.topology.srv.RescanIntervals;
import dev.sluice.server.topology.srv.SrvResolution;
import dev.sluice.server.topology.srv.SrvResolver;
import io.netty.channel.Channel;
import io.netty.resolver.AddressResolverGroup;
import org.bson.BsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The upstream deployment as Sluice sees it: its topology (SDAM: one monitor per server, replica set members
 * discovered from hellos), one pool per server, and server selection for each operation (by read preference, in
 * the latency window, waiting up to serverSelectionTimeoutMS for a suitable server).
 */
public final class UpstreamCluster implements PoolDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCluster.class);
    /** Reported to clients until a handshake tells the real figure (MongoDB 6.0). */
    public static final int DEFAULT_WIRE_VERSION = 17;

    private final UpstreamSettings settings;
    private final LoopLanes loops;
    private final Class<? extends Channel> channelClass;
    private final int maxUpstreamReplyBytes;
    private final PoolListener listener;
    private final ScheduledExecutorService scheduler;
    private final List<PoolSettings> laneSettings;
    // the host pools' maximum after resizePools (a fleet budget, a reload; 0 unbounded); -1: as configured
    private volatile int resizedMaxPoolSize = -1;
    private final LongSupplier nanoTime = System::nanoTime;
    private final AtomicInteger monitorLoops = new AtomicInteger();
    /** Every open backend channel, whatever holds it (pool, monitor, a drained request), for shutdown. */
    private final BackendChannelGroups channels = new BackendChannelGroups();
    private final SelectionWaiters waiters = new SelectionWaiters();
    private final ServerSelector selector;
    private final SelectionShortcut shortcut;
    private final ClusterTopology topology;
    private volatile int maxWireVersion;
    /** TLS of every backend connection, or null. */
    private final UpstreamTls tls;
    /** Authenticates pooled connections (monitors do not authenticate), or null without credentials. */
    private final UpstreamAuthenticator authenticator;
    private volatile UpstreamFeatures features;
    private final List<Consumer<TopologyDescription>> topologyListeners = new CopyOnWriteArrayList<>();
    private volatile SelectionListener selectionListener = SelectionListener.NOOP;
    private volatile ReplyErrorListener replyErrorListener = ReplyErrorListener.NOOP;
    private final AddressResolverGroup<? extends SocketAddress> resolver;
    private final SrvPolling srvPolling;
    private final PoolIdentities identities;

    /**
     * @param maxUpstreamReplyBytes the largest reply accepted from upstream (LimitSettings); a larger
     *                              one closes that one backend connection, never the host's pool
     */
    public UpstreamCluster(UpstreamSettings settings, LoopLanes loops, Class<? extends Channel> channelClass,
                           int maxUpstreamReplyBytes, PoolListener listener, ScheduledExecutorService scheduler,
                           int initialWireVersion) {
        this(settings, loops, channelClass, maxUpstreamReplyBytes, listener, scheduler, initialWireVersion, null);
    }

    /**
     * As above, with host names resolved by {@code resolver} (the configured dnsServers), or by the JDK when null.
     */
    public UpstreamCluster(UpstreamSettings settings, LoopLanes loops, Class<? extends Channel> channelClass,
                           int maxUpstreamReplyBytes, PoolListener listener, ScheduledExecutorService scheduler,
                           int initialWireVersion, AddressResolverGroup<? extends SocketAddress> resolver) {
        this(settings, loops, channelClass, maxUpstreamReplyBytes, listener, scheduler, initialWireVersion, resolver,
                PoolIdentities.SERVICE_ONLY, io.netty.handler.ssl.SslProvider.JDK,
                LimitSettings.DEFAULT_MAX_UPSTREAM_SCRAM_ITERATIONS);
    }

    /**
     * As above, with {@code identities} saying whether each logged-in user gets its own pools (userSource:
     * cluster) and how many connections a host may hold over all pools (maxConnectionsPerHost), backend TLS
     * on {@code tlsProvider} (net.tls.provider resolved), and at most {@code maxScramIterations} PBKDF2 iterations
     * done for a server's SCRAM challenge (LimitSettings.maxUpstreamScramIterations).
     */
    public UpstreamCluster(UpstreamSettings settings, LoopLanes loops, Class<? extends Channel> channelClass,
                           int maxUpstreamReplyBytes, PoolListener listener, ScheduledExecutorService scheduler,
                           int initialWireVersion, AddressResolverGroup<? extends SocketAddress> resolver,
                           PoolIdentities identities, io.netty.handler.ssl.SslProvider tlsProvider,
                           int maxScramIterations) {
        this.identities = identities;
        this.resolver = resolver;
        this.settings = settings;
        this.loops = loops;
        this.channelClass = channelClass;
        this.maxUpstreamReplyBytes = maxUpstreamReplyBytes;
        this.listener = listener;
        this.scheduler = scheduler;
        this.maxWireVersion = initialWireVersion;
        this.tls = UpstreamTls.of(settings, tlsProvider);
        this.authenticator = settings.credential() == null ? null
                : new UpstreamAuthenticator(settings.credential(), maxScramIterations);
        this.laneSettings = LaneSettings.split(settings.pool(), loops.size());
        this.selector = new ServerSelector(settings.selectionSettings());
        this.shortcut = new SelectionShortcut(selector);
        TopologyLog log = new TopologyLog();
        this.topology = new ClusterTopology(new Topology(settings.topologySettings(), event -> {
            log.onEvent(event);
            if (event instanceof TopologyEvent.TopologyDescriptionChanged changed) {
                topologyChanged(changed.current());
            }
        },
                () -> TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong())), log, this::newPool, this::newMonitor, waiters, this::helloSeen);
        this.srvPolling = new SrvPolling(topology, scheduler);
    }

    private HostPool newPool(ServerAddress address) {
        ServiceGenerations services = settings.loadBalanced() ? new ServiceGenerations() : null;
        HostConnectionBudget budget = identities.maxConnectionsPerHost() == 0 ? null
                : new HostConnectionBudget(address.toString(), identities.maxConnectionsPerHost());
        List<ConnectionPool<BackendConnection>> lanes = lanes(address, authenticator, budget, services);
        HostPool pool;
        if (!identities.perUser()) {
            pool = new HostPool(address.toString(), lanes, loops, services);
        } else {
            pool = new HostPool(address.toString(), lanes, loops, services,
                    login -> lanes(address, login.anonymous() ? null : new UpstreamAuthenticator(login), budget, services),
                    identities.maxUserPools());
        }
        int resized = resizedMaxPoolSize;
        if (resized >= 0) {
            pool.resize(resized);
        }
        return pool;
    }

    /**
     * Sets every host pool's maximum, now and for hosts discovered later (a fleet's connection budget, a
     * configuration reload). At least {@link #lanesPerHost()}: each event-loop lane keeps at least one
     * connection; 0 is unbounded.
     */
    public void resizePools(int maxPoolSize) {
        int max = maxPoolSize == 0 ? 0 : Math.max(maxPoolSize, lanesPerHost());
        resizedMaxPoolSize = max;
        for (HostPool pool : topology.pools()) {
            pool.resize(max);
        }
    }

    /** How many lanes (event-loop pools) each host's connections are split into. */
    public int lanesPerHost() {
        return laneSettings.size();
    }

    /** The lanes of one pool of a host, logging in with {@code auth} (or not, when null). */
    private List<ConnectionPool<BackendConnection>> lanes(ServerAddress address, UpstreamAuthenticator auth,
                                                          HostConnectionBudget budget, ServiceGenerations services) {
        List<ConnectionPool<BackendConnection>> lanes = new ArrayList<>();
        for (int lane = 0; lane < laneSettings.size(); lane++) {
            BackendChannels opener = new BackendChannels(address.host(), address.port(), loops.loop(lane), channelClass,
                    settings.connectTimeoutMS(), maxUpstreamReplyBytes, channels.pooled(address), resolver, tls);
            lanes.add(ConnectionPool.builder(new BackendConnectionFactory(opener, settings, lane, this::learn,
                            auth, services, budget))
                    .address(address.toString())
                    .settings(laneSettings.get(lane))
                    .listener(listener)
                    .scheduler(scheduler)
                    .build());
        }
        return lanes;
    }

    /**
     * Closes every pool of one user on every host (the user was dropped or changed in the cluster).
     *
     * @return how many pools were closed
     */
    public int closeUserPools(String user, String db) {
        int closed = 0;
        for (ServerAddress a : topology.description().servers().keySet()) {
            HostPool pool = topology.pool(a);
            if (pool != null) {
                closed += pool.closeUser(user, db);
            }
        }
        return closed;
    }

    private ServerMonitor newMonitor(ServerAddress address) {
        var loop = loops.loop(Math.floorMod(monitorLoops.getAndIncrement(), loops.size()));
        BackendChannels opener = new BackendChannels(address.host(), address.port(), loop, channelClass,
                settings.connectTimeoutMS(), maxUpstreamReplyBytes, channels.monitors(), resolver, tls);
        return new ServerMonitor(address, opener, settings, loop, topology, nanoTime, () -> waiters.size() > 0);
    }

    /**
     * Opens the topology (a monitor per seed) and waits, at most connectTimeoutMS + 1 s, until every seed has been
     * checked once, so that what Sluice advertises to its first clients (wire version, sessions) is the upstream's.
     */
    public void start() {
        topology.open();
        if (settings.loadBalanced()) {
            LoadBalancedStart.firstConnection(this, settings);
            return;
        }
        CompletableFuture<Void> checked = new CompletableFuture<>();
        Runnable[] probe = new Runnable[1];
        probe[0] = () -> {
            long seen = waiters.changes();
            if (allSeedsChecked()) {
                checked.complete(null);
            } else if (!checked.isDone()) {
                waiters.await(seen, probe[0]);
            }
        };
        probe[0].run();
        long wait = settings.connectTimeoutMS() == 0 ? 10_000 : settings.connectTimeoutMS() + 1_000;
        try {
            checked.get(wait, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // reported below from the description
        } finally {
            checked.complete(null);
        }
        TopologyDescription d = topology.description();
        boolean anyAvailable = d.serverDescriptions().stream().anyMatch(ServerDescription::isAvailable);
        if (anyAvailable) {
            LOG.info("[upstream] {} {}, maxWireVersion {}, {}", d.type().specName(), d.servers().keySet(),
                    maxWireVersion, features);
        } else {
            LOG.warn("[upstream] no server reachable at start ({}); Sluice serves anyway, reporting maxWireVersion {} "
                    + "until one is, and operations wait up to serverSelectionTimeoutMS={} for one",
                    d, maxWireVersion, settings.serverSelectionTimeoutMS());
        }
    }

    private boolean allSeedsChecked() {
        for (ServerDescription s : topology.description().serverDescriptions()) {
            if (!s.isAvailable() && s.error() == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rescans the SRV records of a {@code mongodb+srv://} upstream while the topology is Sharded or Unknown, adding
     * and removing mongos as DNS changes (Polling SRV Records for mongos Discovery). Call after {@link #start}.
     * Nothing happens for a replica set (the members' hellos say who is in it) or a single server.
     *
     * @param resolver  looks up the records (closed by the caller, after this cluster)
     * @param initial   the resolution the seeds came from (its TTL sets the first rescan)
     * @param intervals the minimum interval (60 s by the spec) and the interval after a failure
     */
    public void pollSrv(SrvResolver resolver, SrvResolution initial, RescanIntervals intervals) {
        srvPolling.start(resolver, initial, intervals);
    }

    /** True while SRV records are rescanned. */
    public boolean pollingSrv() {
        return srvPolling.running();
    }

    /**
     * Selects a server for an operation, waiting (without blocking a thread) up to serverSelectionTimeoutMS after
     * {@code startNanos} for a suitable one.
     *
     * @param kind           a read (the read preference applies) or a write (the primary)
     * @param readPreference for reads; null means primary
     * @param deprioritized  servers to avoid unless nothing else is suitable (where an attempt failed)
     * @param startNanos     when the operation started waiting ({@link #nanoTime()})
     * @param executor       where the callback runs if it cannot run at once (the client's event loop), or null
     */
    public void select(OperationKind kind, ReadPreference readPreference, Collection<ServerAddress> deprioritized,
                       long startNanos, Executor executor, SelectionCallback callback) {
        SelectionListener observer = selectionListener;
        if (topology.isOpen()) { // one possible answer, known for this description: no selection objects
            long began = nanoTime.getAsLong();
            ServerDescription sole = shortcut.sole(topology.description(), kind, readPreference, deprioritized);
            HostPool pool = sole == null ? null : topology.pool(sole.address());
            if (pool != null) {
                if (observer != SelectionListener.NOOP) {
                    observer.selectionEnded(SelectionListener.Outcome.SELECTED, nanoTime.getAsLong() - began);
                }
                callback.selected(pool, sole);
                return;
            }
        }
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(settings.serverSelectionTimeoutMS());
        new ServerSelection(topology, selector, waiters, kind, readPreference, deprioritized, deadline,
                settings.serverSelectionTimeoutMS(), executor == null ? scheduler : executor, scheduler, nanoTime,
                observer == SelectionListener.NOOP ? callback : observed(callback, observer)).run();
    }

    /** The callback, telling {@code observer} how the selection ended and how long it took. */
    private SelectionCallback observed(SelectionCallback callback, SelectionListener observer) {
        long began = nanoTime.getAsLong();
        return new SelectionCallback() {
            @Override
            public void selected(HostPool pool, ServerDescription server) {
                observer.selectionEnded(SelectionListener.Outcome.SELECTED, nanoTime.getAsLong() - began);
                callback.selected(pool, server);
            }

            @Override
            public void failed(RuntimeException error) {
                SelectionListener.Outcome outcome = error instanceof ReadPreferenceException
                        ? SelectionListener.Outcome.INVALID_READ_PREFERENCE
                        : error instanceof UpstreamException u && u.kind() == UpstreamException.Kind.NO_SUITABLE_SERVER
                        ? SelectionListener.Outcome.NO_SUITABLE_SERVER : SelectionListener.Outcome.NOT_OPEN;
                observer.selectionEnded(outcome, nanoTime.getAsLong() - began);
                callback.failed(error);
            }
        };
    }

    /** Tells {@code listener} how every later selection ends (metrics); {@link SelectionListener#NOOP} for none. */
    public void selectionListener(SelectionListener listener) {
        this.selectionListener = listener == null ? SelectionListener.NOOP : listener;
    }

    /** Tells {@code listener} of every later error reply from a backend (metrics); null for none. */
    public void replyErrorListener(ReplyErrorListener listener) {
        this.replyErrorListener = listener == null ? ReplyErrorListener.NOOP : listener;
    }

    /** A backend answered a forwarded request with {@code ok: 0} and {@code code} (0: none). */
    public void errorReply(String host, int code) {
        replyErrorListener.errorReply(host, code);
    }

    /**
     * Calls {@code listener}, on the cluster's scheduler and in order, with the new description after each
     * significant change of the topology (SDAM's TopologyDescriptionChanged: a server's type, the set's members,
     * the primary...; round trip times do not count).
     */
    public void addTopologyListener(Consumer<TopologyDescription> listener) {
        topologyListeners.add(listener);
    }

    /** Called under the topology's lock: only hands the description to the scheduler. */
    private void topologyChanged(TopologyDescription current) {
        for (Consumer<TopologyDescription> l : topologyListeners) {
            try {
                scheduler.execute(() -> {
                    try {
                        l.accept(current);
                    } catch (RuntimeException e) {
                        LOG.warn("[upstream] topology listener failed: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    /** True when some server can take application operations now (a primary, secondary, mongos, standalone...). */
    public boolean hasDataBearingServer() {
        for (ServerDescription s : topology.description().serverDescriptions()) {
            if (s.type().isDataBearing()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code task} after {@code delayMillis} on the cluster's scheduler (an operation backing off before it
     * selects again).
     *
     * @throws RejectedExecutionException when Sluice is stopping
     */
    public void schedule(Runnable task, long delayMillis) {
        scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The clock of {@link #select}'s startNanos. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** The current topology description (immutable). */
    public TopologyDescription description() {
        return topology.description();
    }

    @Override
    public TopologyDescription topology() {
        return description();
    }

    /** The pool of a given host ("host:port"), or null. */
    public HostPool pool(String host) {
        try {
            return topology.pool(ServerAddress.parse(host));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An error on an application connection: the topology decides (a stale generation is ignored; a network error
     * marks the server Unknown and clears its pool; a state change error requests a check).
     */
    public void onApplicationError(String host, ApplicationError error) {
        if (settings.loadBalanced()) {
            return; // no serviceId: an error before or during the handshake, which the Load Balancer spec ignores
        }
        ServerAddress address;
        try {
            address = ServerAddress.parse(host);
        } catch (IllegalArgumentException e) {
            return;
        }
        topology.onApplicationError(address, error);
    }

    /**
     * An error on a connection to a load balancer that reached service {@code serviceId}: the server stays (no
     * monitoring, never Unknown); a network error, or a state change reply saying the node shuts down, clears that
     * service's connections only (Load Balancer spec, Post-Handshake Errors).
     *
     * @param serviceGeneration the failed connection's service generation
     */
    public void onServiceError(String host, org.bson.types.ObjectId serviceId, int serviceGeneration,
                               ApplicationError error) {
        HostPool pool = pool(host);
        if (pool == null || !LoadBalancedStart.clearsService(error)) {
            return;
        }
        if (pool.clearService(serviceId, serviceGeneration)) {
            LOG.info("[pool {}] cleared the connections of service {}: {}", host, serviceId.toHexString(), error);
        }
    }

    public int maxWireVersion() {
        return maxWireVersion;
    }

    private void helloSeen(BsonDocument reply) {
        learn(UpstreamFeatures.of(reply));
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

    /** Monitoring connections opened so far (all monitors, RTT connections included). */
    public long monitorConnectionsOpened() {
        return topology.monitorConnectionsOpened();
    }

    /** Monitoring connections open now (the backend sees them beside the pools' connections). */
    public int monitorConnectionsOpen() {
        return topology.monitorConnectionsOpen();
    }

    /** Operations waiting for a suitable server now. */
    public int waitingForServer() {
        return waiters.size();
    }

    @Override
    public List<HostPoolStats> statistics() {
        List<HostPoolStats> stats = new ArrayList<>();
        for (ServerAddress a : topology.description().servers().keySet()) {
            HostPool pool = topology.pool(a);
            if (pool != null) {
                stats.add(pool.totals());
            }
        }
        return stats;
    }

    @Override
    public List<HostPoolStats> userPools() {
        List<HostPoolStats> stats = new ArrayList<>();
        for (ServerAddress a : topology.description().servers().keySet()) {
            HostPool pool = topology.pool(a);
            if (pool != null) {
                stats.addAll(pool.userStats());
            }
        }
        return stats;
    }

    @Override
    public boolean drop(String hostAndPort) {
        ServerAddress address;
        try {
            address = ServerAddress.parse(hostAndPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (topology.pool(address) == null) {
            return false;
        }
        LOG.info("[pool {}] dropping pooled connections (dropConnections)", hostAndPort);
        return topology.clearPool(address, "dropConnections");
    }

    /**
     * Shrinks every host's pools to {@link #lanesPerHost()} connections (one per lane) and waits, at most
     * {@code timeoutMS}, until no host has more pooled sockets open than that: the cluster's view, not the pools'
     * count (a fleet member leaving under fleet.connectionBudget, before the others may grow into its share).
     *
     * @return false when some host still had more open at the deadline
     */
    public boolean shrinkToLanes(long timeoutMS) {
        int lanes = lanesPerHost();
        resizePools(lanes);
        return channels.awaitPooledAtMost(lanes, timeoutMS);
    }

    /** The most pooled sockets open now to any one host (closing ones included until their socket is closed). */
    public int pooledSocketsOpenPerHost() {
        return channels.maxPooledOpenPerHost();
    }

    /** Closes the pools and every backend connection, waiting for the closes at most 1 s. */
    @Override
    public void close() {
        close(1_000);
    }

    /**
     * Closes the monitors and pools, then every backend connection still open (in use, or reading the reply of a
     * client that went away), waiting at most {@code timeoutMS} for the closes.
     *
     * @return false when some connections had not closed in time
     */
    public boolean close(long timeoutMS) {
        srvPolling.close();
        topology.close();
        int open = channels.size();
        boolean done = channels.closeAll(timeoutMS);
        if (!done) {
            LOG.warn("[upstream] {} backend connections not closed within {} ms; leaving them to the event loops' shutdown",
                    channels.size(), timeoutMS);
        } else if (open > 0) {
            LOG.debug("[upstream] closed {} backend connections", open);
        }
        return done;
    }
}

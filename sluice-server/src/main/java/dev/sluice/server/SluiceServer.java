package dev.sluice.server;

import dev.sluice.pool.PoolListener;
import dev.sluice.server.admin.AdminCommands;
import dev.sluice.server.admin.AdminExecutor;
import dev.sluice.server.admin.AdminSettings;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.http.FleetControl;
import dev.sluice.server.http.HttpConnector;
import dev.sluice.server.lifecycle.Drain;
import dev.sluice.server.lifecycle.DrainCommand;
import dev.sluice.server.lifecycle.DrainFigures;
import dev.sluice.server.lifecycle.Readiness;
import dev.sluice.server.metrics.AlertSettings;
import dev.sluice.server.metrics.ConnectionAlerts;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.JvmMetrics;
import dev.sluice.server.metrics.PoolMetricsListener;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.net.Transport;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.cluster.ClusterUserDirectory;
import dev.sluice.server.security.cluster.ServiceUserCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.bson.BsonDocument;
import dev.sluice.server.client.HelloResponder;
import dev.sluice.server.client.LocalCommands;
import dev.sluice.server.client.ClientFace;
import dev.sluice.server.client.MongoConnector;
import dev.sluice.server.client.SessionServices;
import dev.sluice.server.config.DescriptorBudget;
import dev.sluice.server.config.Exposure;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.wire.FrameBudget;
import dev.sluice.server.admin.AdminReply;
import dev.sluice.server.route.InternalCommands;
import dev.sluice.server.security.auth.Authenticator;
import dev.sluice.server.security.tls.ChosenTlsProvider;
import dev.sluice.server.security.tls.ReloadSignal;
import dev.sluice.server.security.tls.RotateCertificatesCommand;
import dev.sluice.server.security.tls.ServerTls;
import dev.sluice.server.security.tls.TlsStatus;
import dev.sluice.server.security.auth.CommandGate;
import dev.sluice.server.security.auth.FailureThrottle;
import dev.sluice.server.security.scram.ScramServer;
import dev.sluice.server.security.scram.ScramServerSettings;
import dev.sluice.server.security.users.Audit;
import dev.sluice.server.security.users.BackendUserStorage;
import dev.sluice.server.security.users.UserAdminCommands;
import dev.sluice.server.security.users.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.topology.srv.RescanIntervals;
import dev.sluice.server.topology.srv.SrvLookupException;
import dev.sluice.server.topology.srv.SrvResolution;
import dev.sluice.server.topology.srv.SrvResolver;
import dev.sluice.server.topology.srv.UpstreamHostResolver;
import io.netty.resolver.AddressResolverGroup;
import dev.sluice.server.embedded.EmbeddedBackend;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.route.CursorTable;
import dev.sluice.server.route.OwnerCleanup;
import dev.sluice.server.route.Router;
import dev.sluice.server.route.SessionPolicy;
import dev.sluice.server.route.TransactionTable;
import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.Compressor;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Sluice: the hand-written context that builds every component from the settings, starts
 * them in order and stops them in reverse.
 */
public final class SluiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

    private final SluiceConfig config;
    private ServerSettings settings;
    private final Clock clock;
    private final ConnectionRegistry registry;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService scheduler;
    private final JvmMetrics jvmMetrics;
    private EmbeddedBackend embedded;
    private UpstreamCluster cluster;
    private MongoConnector mongoConnector;
    /** The load-balanced connector (net.loadBalancedListen), or null. */
    private MongoConnector loadBalancedConnector;
    private InetSocketAddress loadBalancedAddress;
    /** The serviceId the load-balanced connector reports: fixed for the life of this process. */
    private final org.bson.types.ObjectId serviceId = new org.bson.types.ObjectId();
    private Router router;
    private InetSocketAddress mongoAddress;
    private InetSocketAddress httpAddress;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PoolDirectory pools = new ClusterPools();
    private final SluiceMetrics metrics;
    private final java.time.Instant startTime;
    private final Drain drain;
    private volatile HelloResponder hello; // set by start(), read by the drain thread
    private final Duration srvRescanMinimum;
    private SrvResolver srvResolver;
    private SrvResolution srvResolution;
    private AddressResolverGroup<InetSocketAddress> hostResolver;

    public SluiceServer(SluiceConfig config, Clock clock) {
        this(config, clock, RescanIntervals.SPEC_MINIMUM);
    }

    /**
     * For tests only: as above, with SRV records rescanned at least every {@code srvRescanMinimum} instead of the
     * spec's 60 s (no setting exposes it: the spec forbids a shorter interval outside tests).
     */
    public SluiceServer(SluiceConfig config, Clock clock, Duration srvRescanMinimum) {
        this.config = config;
        this.srvRescanMinimum = srvRescanMinimum;
        this.settings = config.server();
        this.transport = Transport.detect(settings.transport()); // first: an unavailable one fails before any thread
        this.clock = clock;
        this.registry = new ConnectionRegistry(clock);
        this.metrics = new SluiceMetrics(meters, registry, pools);
        this.jvmMetrics = new JvmMetrics(meters);
        extras.add(jvmMetrics);
        this.startTime = clock.instant();
        this.drain = new Drain(settings.shutdownTimeoutMS(), System::nanoTime, Thread::sleep);
        this.boss = transport.newGroup(1);
        // one worker loop per core: each loop has its own lane of backend connections per host
        this.workers = transport.newGroup(Runtime.getRuntime().availableProcessors());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts everything; returns once both connectors listen. */
    public SluiceServer start() throws InterruptedException {
        UpstreamSettings upstream;
        int initialWire = UpstreamCluster.DEFAULT_WIRE_VERSION;
        if (config.upstreamUri() == null) {
            embedded = EmbeddedBackend.start(settings.embeddedWireVersion());
            upstream = UpstreamSettings.fromUri(embedded.uri(), true);
            initialWire = embedded.wireVersion();
        } else {
            upstream = UpstreamSettings.fromUri(config.upstreamUri(), false);
            hostResolver = UpstreamHostResolver.of(config.dns(), workers.next());
            if (upstream.srv() != null) {
                upstream = resolveSrv(upstream);
            }
        }
        fitDescriptors(upstream);
        configuredMaxPoolSize = upstream.pool().maxPoolSize();
        running = new SluiceConfig(settings, config.upstreamUri(), config.dns(), config.users(), config.fleet());
        warnAboutExposure();
        tlsProvider = chooseTlsProvider(upstream.tls());
        for (String warning : upstream.warnings()) {
            LOG.warn("[upstream] {}: {}", upstream.uri(), warning);
        }
        LOG.info("[upstream] {} (pool: maxPoolSize={}, minPoolSize={}, maxConnecting={}, maxIdleTimeMS={}, waitQueueTimeoutMS={}; "
                        + "heartbeatFrequencyMS={}, serverMonitoringMode={}, serverSelectionTimeoutMS={}, localThresholdMS={})",
                upstream.uri(), upstream.pool().maxPoolSize(), upstream.pool().minPoolSize(),
                upstream.pool().maxConnecting(), upstream.pool().maxIdleTimeMS(), upstream.pool().waitQueueTimeoutMS(),
                upstream.heartbeatFrequencyMS(), upstream.serverMonitoringMode().optionValue(),
                upstream.serverSelectionTimeoutMS(), upstream.localThresholdMS());
        cluster = new UpstreamCluster(upstream, new dev.sluice.server.upstream.LoopLanes(workers), transport.clientChannel(),
                settings.limits().maxUpstreamReplyBytes(),
                poolListener(), scheduler, initialWire, hostResolver, new dev.sluice.server.upstream.PoolIdentities(
                        config.users().cluster(), config.users().cacheSize(), config.users().maxConnectionsPerHost()),
                tlsProvider.provider(), settings.limits().maxUpstreamScramIterations());
        cluster.start();
        if (srvResolution != null) {
            cluster.pollSrv(srvResolver, srvResolution,
                    new RescanIntervals(srvRescanMinimum, Duration.ofMillis(upstream.heartbeatFrequencyMS())));
        }

        SessionPolicy sessions = new SessionPolicy(cluster, clock::millis);
        router = new Router(cluster, new CursorTable(), new TransactionTable(), sessions);
        OwnerCleanup cleanup = new OwnerCleanup(router, PooledByteBufAllocator.DEFAULT);
        List<Compressor> compressors = new ArrayList<>();
        for (String name : settings.compressors()) {
            compressors.add(Compressor.byName(name));
        }
        CommandGate gate = startSecurity();
        tls = startTls();
        UpstreamCluster upstreamCluster = cluster;
        hello = new HelloResponder(clock, settings.maxMessageSizeBytes(),
                sessions::logicalSessionTimeoutMinutes, upstreamCluster::maxWireVersion,
                upstreamCluster::hasDataBearingServer);
        // clients' awaitable hellos are answered when what they should act on changes (topology, or a handshake's
        // wire version / session timeout, checked every second)
        HelloResponder responder = hello;
        cluster.addTopologyListener(d -> responder.refresh());
        scheduler.scheduleWithFixedDelay(() -> guarded(responder::refresh), 1, 1, TimeUnit.SECONDS);
        cluster.selectionListener(metrics.selections());
        cluster.replyErrorListener(metrics.replyErrors());
        local = localCommands();
        SessionServices services = new SessionServices(registry, router, cleanup, hello,
                local, cluster,
                List.copyOf(compressors), settings.maxMessageSizeBytes(), System::nanoTime,
                settings.limits().loginTimeoutMS(), authenticator, gate);
        frameBudget = new FrameBudget(frameBudgetBytes(), (holder, held, max) -> {
            registry.recordLimitClose("mongodb", "maxBufferedFrameBytes");
            LOG.warn("[mongodb] closing a connection holding {} bytes of incomplete messages: all connections together "
                    + "hold more than maxBufferedFrameBytes={}", held, max);
        });
        java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
        mongoConnector = new MongoConnector(settings.listen().toSocketAddress(), boss, workers,
                transport.serverChannel(), services, settings.maxIncomingConnections(), frameBudget,
                settings.limits().frameTimeoutMS(), settings.tls().mode(), tls,
                ClientFace.router(() -> loadBalancedAddress == null ? null
                        : dev.sluice.server.registry.Addresses.format(loadBalancedAddress)), clients);
        mongoAddress = mongoConnector.start();
        if (settings.loadBalancedListen() != null) {
            loadBalancedConnector = new MongoConnector(settings.loadBalancedListen().toSocketAddress(), boss, workers,
                    transport.serverChannel(), services, settings.maxIncomingConnections(), frameBudget,
                    settings.limits().frameTimeoutMS(), settings.tls().mode(), tls, ClientFace.loadBalanced(serviceId),
                    clients);
            loadBalancedAddress = loadBalancedConnector.start();
            LOG.info("[sluice] listening on mongodb://{}:{}/?loadBalanced=true (load-balanced face, serviceId {}; "
                            + "connection ids {}-N)", loadBalancedAddress.getHostString(), loadBalancedAddress.getPort(),
                    serviceId.toHexString(), ClientFace.LOAD_BALANCED_CONNECTOR);
        }
        httpAddress = startHttp();
        startFleet(upstream);
        LOG.info("[sluice] listening on mongodb://{}:{}/ (maxIncomingConnections={}, net.tls.mode={}, TLS provider {}, "
                        + "transport {})",
                mongoAddress.getHostString(), mongoAddress.getPort(), settings.maxIncomingConnections(),
                settings.tls().mode(), tlsProvider.name(), transport.name());
        return this;
    }

    private volatile dev.sluice.server.fleet.FleetAdmin fleetAdmin;
    /** The upstream's maxPoolSize as configured now (a reload may change it). */
    private volatile int configuredMaxPoolSize;
    /** The configuration as it runs now (a reload replaces it). */
    private volatile SluiceConfig running;
    /** Re-reads the configuration file with the same flags (null: started without --config). */
    private volatile java.util.function.Supplier<SluiceConfig> configSource;

    /**
     * SIGHUP: the certificates are read again (with TLS configured) and the configuration file (when Sluice
     * was started with --config); each failure is logged and changes nothing.
     */
    public void hangUp() {
        ServerTls loaded = tls;
        if (loaded != null) {
            try {
                loaded.reload("SIGHUP");
            } catch (RuntimeException e) {
                LOG.error("[tls] certificate reload on SIGHUP failed: {}", e.getMessage());
            }
        }
        if (configSource != null) {
            try {
                reloadConfig("SIGHUP");
            } catch (RuntimeException e) {
                LOG.error("[sluice] configuration reload on SIGHUP failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Where a reload ({@code reloadConfig}, SIGHUP) reads the configuration: the --config file, merged with
     * the command line's flags again. Without one, a reload is refused.
     */
    public void configSource(java.util.function.Supplier<SluiceConfig> source) {
        this.configSource = source;
    }

    /**
     * Re-reads the configuration and applies what may change at runtime (the upstream's maxPoolSize,
     * maxIncomingConnections, fleet.connectionBudget). A change to anything else refuses the whole reload,
     * naming each key, and applies nothing.
     *
     * @param requestedBy who asked, for the log
     * @return what changed
     * @throws ConfigException when the file is invalid, absent, or changes what needs a restart
     */
    public synchronized dev.sluice.server.config.ConfigChanges reloadConfig(String requestedBy) {
        java.util.function.Supplier<SluiceConfig> source = configSource;
        if (source == null) {
            throw new ConfigException("Sluice was started without --config: there is no configuration file to reload");
        }
        SluiceConfig next = source.get();
        dev.sluice.server.config.ConfigChanges changes = dev.sluice.server.config.ConfigChanges.between(running, next);
        if (!changes.needRestart().isEmpty()) {
            LOG.warn("[sluice] configuration reload by {} refused, nothing applied: {} cannot change at runtime "
                    + "(restart Sluice to change them)", requestedBy, changes.needRestart());
            throw new ConfigException("reload refused, nothing applied: " + String.join(", ", changes.needRestart())
                    + (changes.needRestart().size() == 1 ? " cannot" : " cannot") + " change at runtime; restart Sluice "
                    + "to change " + (changes.needRestart().size() == 1 ? "it" : "them") + " (runtime: the upstream's "
                    + "maxPoolSize, maxIncomingConnections, fleet.connectionBudget)");
        }
        List<String> applied = new ArrayList<>();
        if (changes.maxPoolSize() != null) {
            applied.add("maxPoolSize " + configuredMaxPoolSize + " -> " + changes.maxPoolSize());
            configuredMaxPoolSize = changes.maxPoolSize();
            if (fleetMember == null || running.fleet().connectionBudget() == 0 && changes.connectionBudget() == null) {
                cluster.resizePools(changes.maxPoolSize());
            }
        }
        if (changes.maxIncomingConnections() != null) {
            applied.add("maxIncomingConnections " + settings.maxIncomingConnections() + " -> "
                    + changes.maxIncomingConnections());
            settings = settings.withMaxIncomingConnections(changes.maxIncomingConnections());
            mongoConnector.maxIncomingConnections(changes.maxIncomingConnections());
            if (loadBalancedConnector != null) {
                loadBalancedConnector.maxIncomingConnections(changes.maxIncomingConnections());
            }
        }
        if (changes.connectionBudget() != null && fleetMember != null) {
            applied.add("fleet.connectionBudget " + running.fleet().connectionBudget() + " -> " + changes.connectionBudget());
            fleetMember.connectionBudget(changes.connectionBudget());
        } else if (changes.maxPoolSize() != null && fleetMember != null) {
            fleetMember.connectionBudget(running.fleet().connectionBudget()); // recomputes with the new maximum
        }
        running = new SluiceConfig(settings, next.upstreamUri(), next.dns(), next.users(), next.fleet());
        LOG.info("[sluice] configuration reloaded by {}: {}", requestedBy, applied.isEmpty() ? "no change" : applied);
        return changes;
    }
    private dev.sluice.server.fleet.FleetMember fleetMember;

    /**
     * Registers this Sluice in the upstream cluster's {@code sluice.fleet} and starts its heartbeats
     * (fleet.enabled, on by default with an upstream): the fleet view of connections, kills forwarded
     * between instances, and the connection budget's share.
     */
    private void startFleet(UpstreamSettings upstream) {
        dev.sluice.server.config.FleetSettings fleet = config.fleet();
        if (!fleet.enabled() || embedded != null) {
            return;
        }
        String host = advertisedHost(mongoAddress);
        String http = fleet.advertiseHttp() != null ? fleet.advertiseHttp()
                : httpAddress == null ? null : "http://" + advertisedHost(httpAddress) + ":" + httpAddress.getPort();
        byte[] suffix = new byte[3];
        new java.security.SecureRandom().nextBytes(suffix);
        String id = host + ":" + mongoAddress.getPort() + "-" + java.util.HexFormat.of().formatHex(suffix);
        InternalCommands commands = new InternalCommands(router, PooledByteBufAllocator.DEFAULT, fleet.peerTimeoutMS());
        dev.sluice.server.fleet.FleetStore store = new dev.sluice.server.fleet.FleetStore(commands::run,
                fleet.peerTimeoutMS());
        UpstreamCluster c = cluster;
        int monitors = upstream.serverMonitoringMode() == UpstreamSettings.MonitoringMode.POLL ? 1 : 2;
        dev.sluice.server.fleet.LocalInstance local = new dev.sluice.server.fleet.LocalInstance() {
            @Override public int clients() { return registry.currentCount("mongodb"); }
            @Override public int backendConnections() {
                int n = 0;
                for (HostPoolStats s : c.statistics()) {
                    n += s.inUse() + s.available() + s.refreshing();
                }
                return n;
            }
            @Override public int maxOpenPerHost() {
                int n = c.pooledSocketsOpenPerHost(); // closed by a pool but not yet by the kernel: still held
                for (HostPoolStats s : c.statistics()) {
                    n = Math.max(n, s.inUse() + s.available() + s.refreshing());
                }
                return n;
            }
            @Override public boolean draining() { return SluiceServer.this.draining(); }
            @Override public int configuredMaxPoolSize() { return configuredMaxPoolSize; }
            @Override public int minPooledPerHost() { return c.lanesPerHost(); }
            @Override public int monitorsPerHost() { return monitors; }
            @Override public void resizePools(int maxPoolSize) { c.resizePools(maxPoolSize); }
            @Override public boolean shrinkToMinimum(long timeoutMS) { return c.shrinkToLanes(timeoutMS); }
        };
        fleetMember = new dev.sluice.server.fleet.FleetMember(fleet, store, id, host + ":" + mongoAddress.getPort(), http,
                Version.VERSION, local, clock::millis);
        fleetMember.start();
        extras.add(0, fleetMember);
        fleetAdmin = new dev.sluice.server.fleet.FleetAdmin(fleetMember, connectionAdmin,
                new dev.sluice.server.fleet.PeerClient(fleet, clock::millis), clock::millis);
        LOG.info("[fleet] this instance is {} in sluice.fleet (heartbeat every {} ms; other instances reach it at {}{})",
                id, fleet.heartbeatIntervalMS(), http == null ? "no HTTP connector: no fleet listing of it" : http,
                fleet.connectionBudget() > 0 ? "; fleet.connectionBudget " + fleet.connectionBudget() + " per host" : "");
    }

    /** The fleet view, once registered; null without a fleet. */
    public dev.sluice.server.fleet.FleetAdmin fleet() {
        return fleetAdmin;
    }

    /**
     * A bound address as other machines can reach it: this host's address when bound to every interface (in
     * a container, the pod's IP, which other pods reach without a DNS name).
     */
    private static String advertisedHost(InetSocketAddress bound) {
        if (bound.getAddress() == null || !bound.getAddress().isAnyLocalAddress()) {
            return bound.getHostString();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.io.IOException e) {
            return hostName();
        }
    }

    private FrameBudget frameBudget;
    private Authenticator authenticator;
    private ServerTls tls;
    private ChosenTlsProvider tlsProvider = ChosenTlsProvider.JDK;
    private InetSocketAddress httpsAddress;

    /**
     * Resolves net.tls.provider once, for both sides (a {@link ConfigException} when openssl is asked for and does not
     * load); says which one TLS connections use when any are configured, and why when auto fell back to the JDK.
     */
    private ChosenTlsProvider chooseTlsProvider(boolean upstreamTls) {
        ChosenTlsProvider chosen = ChosenTlsProvider.resolve(settings.tls().provider());
        if (settings.tls().hasCertificate() || upstreamTls) {
            if (chosen.note() != null) {
                LOG.info("[tls] {}", chosen.note());
            }
            LOG.info("[tls] TLS provider: {}", chosen.describe());
        }
        return chosen;
    }

    /**
     * Client-facing TLS, when a certificate is configured (net.tls.mode on, or the https connector):
     * its files are read now (a {@link dev.sluice.server.config.ConfigException} naming the option when
     * they are not usable) and again on SIGHUP and rotateCertificates.
     */
    private ServerTls startTls() {
        if (!settings.tls().hasCertificate()) {
            return null;
        }
        ServerTls loaded = ServerTls.load(settings.tls(), tlsProvider, clock);
        ReloadSignal.install(this::hangUp);
        return loaded;
    }

    private static String shown(List<InetSocketAddress> servers) {
        List<String> out = new ArrayList<>();
        for (InetSocketAddress a : servers) {
            out.add(a.getHostString() + ":" + a.getPort());
        }
        return out.toString();
    }

    /**
     * Looks up a mongodb+srv:// upstream's SRV and TXT records (on this thread, never an event loop; at most about
     * twice dnsTimeoutMS) and returns the settings with the seeds it found. A failed look-up stops the start.
     *
     * @throws ConfigException with the resolver's message (exit code 2)
     */
    private UpstreamSettings resolveSrv(UpstreamSettings upstream) {
        try {
            srvResolver = new SrvResolver(workers.next(), config.dns());
        } catch (IllegalStateException e) {
            throw new ConfigException("upstream " + upstream.uri() + ": " + e.getMessage(), e);
        }
        try {
            srvResolution = srvResolver.resolveBlocking(upstream.srv());
        } catch (SrvLookupException e) {
            throw new ConfigException("upstream " + upstream.uri() + ": " + e.getMessage(), e);
        }
        UpstreamSettings resolved = upstream.withSrvResolution(srvResolution);
        LOG.info("[upstream] {}: DNS {} gave {}{} (SRV TTL {} s; dnsServers {})", upstream.uri(),
                upstream.srv().srvName(), srvResolution.seeds(),
                srvResolution.replicaSet() == null ? "" : ", replicaSet=" + srvResolution.replicaSet(),
                srvResolution.records().minTtlSeconds(),
                config.dns().dnsServers().isEmpty() ? "of the system" : shown(srvResolver.dnsServers()));
        return resolved;
    }

    /**
     * maxBufferedFrameBytes, kept to at most a quarter of the direct-memory limit: the budget exists so
     * that no allocation ever has to wait for direct memory.
     */
    private long frameBudgetBytes() {
        long configured = settings.limits().maxBufferedFrameBytes();
        long direct = io.netty.util.internal.PlatformDependent.maxDirectMemory();
        if (direct > 0 && configured > direct / 4) {
            long lowered = Math.max(1L << 20, direct / 4);
            LOG.warn("[sluice] maxBufferedFrameBytes lowered from {} to {}: a quarter of the direct-memory limit ({} bytes, "
                    + "-XX:MaxDirectMemorySize or the heap size)", configured, lowered, direct);
            return lowered;
        }
        return configured;
    }

    private UserStore users;
    private UserAdminCommands userAdmin;

    /**
     * With authentication on: the user store (Sluice's own users, in the backend's {@code sluice}
     * database, reloaded every few seconds), SCRAM authentication and the command gate. Off: a gate
     * that lets everything through, and user commands go upstream as any other command.
     */
    private CommandGate startSecurity() {
        if (!settings.authorization()) {
            return new CommandGate(dev.sluice.server.security.UserDirectory.EMPTY, false);
        }
        if (config.users().cluster()) {
            return startClusterSecurity();
        }
        users = new UserStore(new BackendUserStorage(new InternalCommands(router, PooledByteBufAllocator.DEFAULT, 10_000),
                Duration.ofSeconds(10)), Duration.ofSeconds(USER_REFRESH_SECONDS));
        try {
            users.refresh();
        } catch (RuntimeException e) {
            LOG.warn("[security] cannot read the users from the upstream yet ({}); retrying every {} s. Until they are "
                    + "read nobody can authenticate and the localhost exception stays closed", e.getMessage(), USER_REFRESH_SECONDS);
        }
        users.start();
        extras.add(0, users);
        SecureRandom random = new SecureRandom();
        authenticator = new Authenticator(users, new ScramServer(ScramServerSettings.defaults(), random),
                new FailureThrottle(System::nanoTime), false, settings.tls().requestsClientCertificates()
                && !settings.tls().allowInvalidCertificates());
        userAdmin = new UserAdminCommands(users, new Audit(), true, random);
        registerAuthenticationMetrics();
        LOG.info("[security] authorization enabled: clients authenticate with SCRAM-SHA-256 / SCRAM-SHA-1 to Sluice's users "
                + "({}{})", users.isEmpty() ? "no user yet: the localhost exception lets a loopback client create the first "
                + "one in admin" : "users loaded", "");
        return new CommandGate(users, true);
    }

    /** The commands Sluice answers itself (set once the session services are built). */
    private volatile LocalCommands local;
    private ClusterUserDirectory clusterUsers;

    /**
     * security.userSource: cluster: the cluster's users, read by the service user (the URI's credentials) and
     * cached; its right to read them is checked now. Each client's backend connections log in as its own user.
     *
     * @throws ConfigException naming the privilege the service user lacks (exit code 2)
     */
    private CommandGate startClusterSecurity() {
        InternalCommands internal = new InternalCommands(router, PooledByteBufAllocator.DEFAULT, 10_000);
        dev.sluice.server.config.UriCredential credential = cluster.settings().credential();
        UserName service = new UserName(credential.username(), credential.source());
        checkServiceUser(internal, service);
        UpstreamCluster c = cluster;
        clusterUsers = new ClusterUserDirectory(internal::run, (user, why) -> {
            int closed = c.closeUserPools(user.user(), user.db());
            LOG.info("[security] {}: {}; closed its {} backend pools, its sessions are refused from now on", user, why,
                    closed);
        }, config.users().cacheTTLSeconds(), config.users().cacheSize(), System::nanoTime);
        long ttl = config.users().cacheTTLSeconds();
        scheduler.scheduleWithFixedDelay(() -> guarded(clusterUsers::sweep), ttl, ttl, TimeUnit.SECONDS);
        authenticator = new Authenticator(clusterUsers, new ScramServer(ScramServerSettings.defaults(), new SecureRandom()),
                new FailureThrottle(System::nanoTime), true, settings.tls().requestsClientCertificates()
                && !settings.tls().allowInvalidCertificates());
        registerAuthenticationMetrics();
        LOG.info("[security] authorization enabled, users from the cluster (security.userSource: cluster): read by {} "
                + "with usersInfo, cached {} s (clusterUserCacheTTLSeconds), at most {} (clusterUserCacheSize); backend "
                + "connections log in as each client's user", service, ttl, config.users().cacheSize());
        return CommandGate.clusterAuthority(clusterUsers, (name, command, db) -> {
            LocalCommands l = local;
            return l != null && l.handles(name, dev.sluice.server.wire.CommandBody.of(command), db);
        });
    }

    /** Fails the start when the service user cannot read the users' keys; warns when the upstream cannot say now. */
    private static void checkServiceUser(InternalCommands internal, UserName service) {
        BsonDocument reply;
        try {
            reply = internal.run("admin", ServiceUserCheck.command(service)).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("security.userSource: cluster: interrupted while checking the service user");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof dev.sluice.server.upstream.UpstreamException u
                    && u.kind() == dev.sluice.server.upstream.UpstreamException.Kind.AUTHENTICATION_FAILED) {
                throw new ConfigException("security.userSource: cluster: the service user of the upstream URI cannot "
                        + "log in: " + u.getMessage());
            }
            LOG.warn("[security] cannot check the service user {} now ({}); Sluice starts anyway, and clients cannot "
                    + "log in until the cluster answers", service, cause.getMessage());
            return;
        }
        ServiceUserCheck.problem(service, reply).ifPresent(problem -> {
            throw new ConfigException("security.userSource: cluster: " + problem);
        });
    }

    private void registerAuthenticationMetrics() {
        Authenticator auth = authenticator;
        io.micrometer.core.instrument.FunctionCounter.builder("sluice.authentications", auth, Authenticator::successes)
                .description("Client authentications by outcome").tag("outcome", "success").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("sluice.authentications", auth, Authenticator::failures)
                .description("Client authentications by outcome").tag("outcome", "failure").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("sluice.authentications.speculative", auth,
                Authenticator::speculativeStarts).description("SCRAM conversations started inside hello").register(meters);
    }

    /** How often each Sluice re-reads the users (others may have changed them). */
    private static final int USER_REFRESH_SECONDS = 5;

    /** Bytes held now in incomplete client messages (all connections). */
    public long bufferedFrameBytes() {
        return frameBudget == null ? 0 : frameBudget.heldBytes();
    }

    /** Lowers maxIncomingConnections to what the open-file limit leaves (or refuses, when set explicitly). */
    private void fitDescriptors(UpstreamSettings upstream) {
        DescriptorBudget fit = DescriptorBudget.fit(DescriptorBudget.processOpenFileLimit(),
                settings.maxIncomingConnections(), settings.maxIncomingConnectionsExplicit(), upstream.hosts().size(),
                upstream.pool().maxPoolSize(), embedded != null,
                (settings.http() == null ? 0 : settings.httpSettings().maxConnections())
                        + (settings.https() == null ? 0 : settings.httpSettings().maxConnections()));
        if (fit.lowered()) {
            LOG.warn("[sluice] maxIncomingConnections lowered from {} to {}: the open-file limit is {} (ulimit -n) and {} "
                            + "descriptors are kept for upstream, HTTP and Sluice's own files; raise ulimit -n to keep {}",
                    settings.maxIncomingConnections(), fit.effectiveMaxIncoming(), fit.openFileLimit(),
                    fit.reservedForSluice(), settings.maxIncomingConnections());
            settings = settings.withMaxIncomingConnections(fit.effectiveMaxIncoming());
        }
    }

    /** mongod's loud warnings when a connector is reachable beyond loopback and nobody must authenticate. */
    private void warnAboutExposure() {
        if (!Exposure.isLoopback(settings.listen().host()) && !settings.authorization()) {
            LOG.warn("[sluice] ** WARNING: the mongodb connector listens on {}, beyond loopback, and access control is not "
                    + "enabled: anyone who can reach it can read and write all data and list, kill and drop connections.",
                    settings.listen());
        }
        if (settings.loadBalancedListen() != null && !Exposure.isLoopback(settings.loadBalancedListen().host())
                && !settings.authorization()) {
            LOG.warn("[sluice] ** WARNING: the load-balanced mongodb connector listens on {}, beyond loopback, and "
                    + "access control is not enabled: anyone who can reach it can read and write all data and list, "
                    + "kill and drop connections.", settings.loadBalancedListen());
        }
        if (settings.https() != null && !Exposure.isLoopback(settings.https().host()) && !settings.authorization()) {
            LOG.warn("[sluice] ** WARNING: the https connector listens on {}, beyond loopback, without authentication "
                    + "(--allow-unauthenticated-remote-access): anyone who can reach it can list and kill connections "
                    + "and drop pools.", settings.https());
        }
        if (settings.http() != null && !Exposure.isLoopback(settings.http().host()) && !settings.authorization()) {
            LOG.warn("[sluice] ** WARNING: the HTTP connector listens on {}, beyond loopback, without authentication "
                    + "(--allow-unauthenticated-remote-access): anyone who can reach it can list and kill connections "
                    + "and drop pools.", settings.http());
        }
    }

    /** The pool's events feed the metrics. */
    private PoolListener poolListener() {
        return new PoolMetricsListener(metrics);
    }

    private ConnectionAdmin connectionAdmin;

    /**
     * The admin commands (listConnections, killConnection(s), dropConnections, connPoolStats,
     * serverStatus, and getMore/killCursors on listConnections' cursors), run on the admin thread.
     */
    private LocalCommands localCommands() {
        connectionAdmin = new ConnectionAdmin(registry, pools, System::nanoTime, settings.authorization()
                ? new dev.sluice.server.admin.SubjectAccessPolicy() : dev.sluice.server.admin.AccessPolicy.EVERYONE_IS_ADMIN);
        AdminSettings adminSettings = new AdminSettings(settings.maxIncomingConnections(), Version.VERSION,
                hostName(), startTime, settings.limits().maxAdminIds());
        AdminCommands admin = new AdminCommands(registry, connectionAdmin, adminSettings, clock);
        admin.fleet(() -> fleetAdmin);
        AdminExecutor executor = new AdminExecutor(adminSettings.maxQueuedCommands());
        extras.add(executor);
        return new LocalCommands() {
            @Override
            public boolean handles(String commandName, dev.sluice.server.wire.CommandBody command, String database) {
                return admin.handles(commandName, command, database)
                        || dev.sluice.server.security.users.ConnectionStatus.NAME.equals(commandName)
                        || dev.sluice.server.admin.WhatsMyUri.NAME.equals(commandName)
                        || (userAdmin != null && userAdmin.handles(commandName))
                        || RotateCertificatesCommand.NAME.equals(commandName)
                        || DrainCommand.handles(commandName)
                        || dev.sluice.server.config.ReloadConfigCommand.NAME.equals(commandName);
            }

            @Override
            public CompletionStage<Reply> execute(String commandName, BsonDocument command, String database,
                                                  ConnectionEntry caller) {
                if (dev.sluice.server.security.users.ConnectionStatus.NAME.equals(commandName)) {
                    // about the client's own connection to Sluice: never forwarded (upstream: Sluice's service user)
                    return java.util.concurrent.CompletableFuture.completedFuture(new Reply(
                            dev.sluice.server.security.users.ConnectionStatus.reply(command, caller.subject()),
                            () -> { }));
                }
                if (dev.sluice.server.admin.WhatsMyUri.NAME.equals(commandName)) {
                    return java.util.concurrent.CompletableFuture.completedFuture(new Reply(
                            dev.sluice.server.admin.WhatsMyUri.reply(caller), () -> { }));
                }
                if (DrainCommand.handles(commandName)) {
                    BsonDocument reply = DrainCommand.reply(commandName, database, draining(),
                            settings.shutdownTimeoutMS());
                    String who = commandName + " on " + caller + (caller.subject() == null ? ""
                            : " as " + caller.subject().user());
                    return java.util.concurrent.CompletableFuture.completedFuture(new Reply(reply,
                            DrainCommand.accepted(reply) ? () -> drain(who) : () -> { }));
                }
                if (dev.sluice.server.config.ReloadConfigCommand.NAME.equals(commandName)) {
                    String who = dev.sluice.server.config.ReloadConfigCommand.NAME + " on " + caller
                            + (caller.subject() == null ? "" : " as " + caller.subject().user());
                    return executor.submit(commandName, () -> new AdminReply(
                                    dev.sluice.server.config.ReloadConfigCommand.execute(database, () -> reloadConfig(who)),
                                    () -> { }))
                            .thenApply(r -> new Reply(r.reply(), r.afterReply()));
                }
                if (RotateCertificatesCommand.NAME.equals(commandName)) {
                    // tls is loaded after the local commands are built; read it when the command comes
                    return executor.submit(commandName, () -> new AdminReply(new RotateCertificatesCommand(tls)
                                    .execute(command, database, caller + (caller.subject() == null ? ""
                                    : " as " + caller.subject().user())), () -> { }))
                            .thenApply(r -> new Reply(r.reply(), r.afterReply()));
                }
                if (userAdmin != null && userAdmin.handles(commandName)) {
                    return executor.submit(commandName, () -> new AdminReply(userAdmin.execute(commandName, command,
                            database, caller.subject(), caller.clientAddress()), () -> { }))
                            .thenApply(r -> new Reply(r.reply(), r.afterReply()));
                }
                return executor.submit(commandName, () -> admin.execute(commandName, command, database, caller))
                        .thenApply(r -> new Reply(withTlsStatus(commandName, r.reply()), r.afterReply()));
            }
        };
    }

    /** serverStatus gets mongod's {@code security} section: the certificate and the TLS provider in use. */
    private BsonDocument withTlsStatus(String commandName, BsonDocument reply) {
        if ("serverStatus".equals(commandName) && reply.containsKey("connections")) {
            reply.append("security", TlsStatus.section(tlsProvider, tls));
        }
        return reply;
    }

    /** Starts the HTTP connector and the periodic metrics, alert and history tasks. */
    private InetSocketAddress startHttp() throws InterruptedException {
        HistorySampler history = new HistorySampler(registry, pools, clock);
        ConnectionAlerts alerts = new ConnectionAlerts(meters, registry, pools, new AlertSettings(
                settings.maxIncomingConnections(), settings.alertThresholdPercent(), settings.alertHysteresisPercent()));
        scheduler.scheduleWithFixedDelay(() -> guarded(metrics::refresh), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(jvmMetrics::sampleOpenFiles), 5, 5, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(alerts::check), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(history::sample), 0, 2, TimeUnit.SECONDS);
        InetSocketAddress http = settings.http() == null ? null : startWebConnector(settings.http(), history, null);
        if (settings.https() != null) {
            httpsAddress = startWebConnector(settings.https(), history, tls);
        }
        return http;
    }

    /** The http connector, or the https connector when {@code webTls} is given. */
    private InetSocketAddress startWebConnector(dev.sluice.server.config.HostAndPort address, HistorySampler history,
                                                ServerTls webTls) {
        // with authorization on: the same users as the mongodb connector, and the same privileges
        // (own connections; others' with inprog / killop: connectionAdmin's policy)
        dev.sluice.server.http.HttpAccess access = settings.authorization()
                ? dev.sluice.server.http.HttpAccess.authenticated(clusterUsers != null ? clusterUsers : users,
                        webTls != null)
                : dev.sluice.server.http.HttpAccess.open();
        ConnectionAdmin httpAdmin = connectionAdmin;
        HttpConnector http = new HttpConnector(address.toSocketAddress(), boss, workers,
                transport.serverChannel(), registry, httpAdmin, meters, metrics, history,
                settings.httpSettings(), clock, access, webTls, new Fleet());
        http.fleet(() -> fleetAdmin, settings.limits().maxAdminIds());
        InetSocketAddress bound = http.start();
        extras.add(http);
        String scheme = webTls == null ? "http" : "https";
        LOG.info("[{}] listening on {}://{}:{}/ (dashboard, /api, /metrics, /healthz, /readyz)", scheme, scheme, bound.getHostString(),
                bound.getPort());
        return bound;
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("[sluice] periodic task failed: {}", e.toString());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** What the HTTP probes read and {@code POST /api/drain} starts. */
    private final class Fleet implements FleetControl {
        @Override
        public String notReadyReason() {
            return SluiceServer.this.notReadyReason();
        }

        @Override
        public boolean canDrain() {
            return true;
        }

        @Override
        public void drain(String requestedBy) {
            SluiceServer.this.drain(requestedBy);
        }

        @Override
        public long shutdownTimeoutMS() {
            return settings.shutdownTimeoutMS();
        }
    }

    /** The upstream pools, before and after the cluster exists (metrics are built first). */
    private final class ClusterPools implements PoolDirectory {
        @Override
        public List<HostPoolStats> statistics() {
            UpstreamCluster c = cluster;
            return c == null ? List.of() : c.statistics();
        }

        @Override
        public List<HostPoolStats> userPools() {
            UpstreamCluster c = cluster;
            return c == null ? List.of() : c.userPools();
        }

        @Override
        public boolean drop(String hostAndPort) {
            UpstreamCluster c = cluster;
            return c != null && c.drop(hostAndPort);
        }

        @Override
        public dev.sluice.server.topology.TopologyDescription topology() {
            UpstreamCluster c = cluster;
            return c == null ? dev.sluice.server.topology.TopologyDescription.empty() : c.topology();
        }
    }

    /** Wire-protocol authentication (counters for serverStatus and tests), or null when authentication is off. */
    public dev.sluice.server.security.auth.Authenticator authenticator() {
        return authenticator;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public InetSocketAddress mongoAddress() {
        return mongoAddress;
    }

    /** The load-balanced connector's address (net.loadBalancedListen), or null when not configured. */
    public InetSocketAddress loadBalancedAddress() {
        return loadBalancedAddress;
    }

    /** The serviceId the load-balanced connector reports (fixed for the life of this process). */
    public org.bson.types.ObjectId serviceId() {
        return serviceId;
    }

    /** The https connector's address, or null when not configured. */
    public InetSocketAddress httpsAddress() {
        return httpsAddress;
    }

    /** Client-facing TLS (reload, current certificate), or null when no certificate is configured. */
    public ServerTls tls() {
        return tls;
    }

    /** The TLS implementation of every TLS connection (net.tls.provider resolved at start). */
    public ChosenTlsProvider tlsProvider() {
        return tlsProvider;
    }

    /** The HTTP connector's address, or null when disabled. */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    public Router router() {
        return router;
    }

    /** The embedded backend's URI, or null when an upstream was given. */
    public String embeddedUri() {
        return embedded == null ? null : embedded.uri();
    }

    public UpstreamCluster cluster() {
        return cluster;
    }

    /** The network transport every socket uses (net.transport resolved): io_uring, epoll or nio. */
    public String transportName() {
        return transport.name();
    }

    /** The line printed on stdout when ready, as DESIGN.md fixes it. */
    public String readyLine() {
        String http = httpAddress == null ? "http://disabled/"
                : "http://" + urlAuthority(httpAddress, settings.http()) + "/";
        String https = httpsAddress == null ? "" : " https://" + urlAuthority(httpsAddress, settings.https()) + "/";
        return "sluice ready mongodb://" + urlAuthority(mongoAddress, settings.listen()) + "/ " + http + https;
    }

    /** host:port for a URL: IPv6 in brackets; a wildcard bind shows the configured wildcard (0.0.0.0 or [::]). */
    static String urlAuthority(InetSocketAddress bound, dev.sluice.server.config.HostAndPort configured) {
        String host = bound.getAddress() != null && bound.getAddress().isAnyLocalAddress() && configured != null
                ? configured.host() : bound.getHostString();
        int zone = host.indexOf('%');
        if (host.indexOf(':') >= 0) {
            host = "[" + (zone >= 0 ? host.substring(0, zone) + "%25" + host.substring(zone + 1) : host) + "]";
        }
        return host + ":" + bound.getPort();
    }

    /**
     * Null when this Sluice should get new clients ({@code /readyz} 200), else {@code draining} or
     * {@code no-upstream} (no server can take a primary read now).
     */
    public String notReadyReason() {
        UpstreamCluster c = cluster;
        String reason = Readiness.notReadyReason(drain.draining(), c == null ? null : c.topology());
        dev.sluice.server.fleet.FleetMember member = fleetMember;
        if (reason == null && member != null && !member.budgetReady()) {
            return Readiness.NO_BUDGET;
        }
        return reason;
    }

    /** Whether a drain (or the shutdown) has begun. */
    public boolean draining() {
        return drain.draining();
    }

    /**
     * Starts a drain on its own thread and returns at once (SIGTERM, {@code sluiceDrain}, {@code POST /api/drain}):
     * what {@link #close()} does. Idempotent.
     *
     * @return completes once everything is closed
     */
    public java.util.concurrent.CompletableFuture<Void> drain(String requestedBy) {
        if (drain.request(requestedBy)) {
            Thread t = new Thread(this::close, "sluice-drain");
            t.setDaemon(true);
            t.start();
        }
        return drain.stopped();
    }

    /** Completes once {@link #close()} has finished. */
    public java.util.concurrent.CompletableFuture<Void> stopped() {
        return drain.stopped();
    }

    /**
     * The drain, then the stop, bounded ({@link Drain}): readiness is withdrawn and the mongodb connector stops
     * accepting at once; running operations, open cursors and open transactions get up to shutdownTimeoutMS to
     * finish (progress logged every second); then hellos answer ShutdownInProgress (mongos's quiesce mode, so
     * that drivers route elsewhere), and clients, backend connections, event loops and the embedded backend are
     * closed, all of that within {@value #FORCE_TIMEOUT_MS} ms more whatever is still running (what did not
     * stop in time is named in the log and left to end with the process). A second call waits for the first.
     */
    @Override
    public void close() {
        if (!drain.beginStop()) {
            drain.awaitStopped(FORCE_TIMEOUT_MS + 1_000);
            return;
        }
        try {
            stop();
        } finally {
            drain.markStopped();
        }
    }

    private void stop() {
        long started = System.nanoTime();
        if (mongoConnector != null) {
            drain.run(new DrainTarget());
        }
        ShutdownSteps steps = new ShutdownSteps(System::nanoTime, FORCE_TIMEOUT_MS);
        if (mongoConnector != null) {
            steps.run("close client connections", mongoConnector::close);
        }
        if (loadBalancedConnector != null) {
            steps.run("close load-balanced client connections", loadBalancedConnector::close);
        }
        for (AutoCloseable c : extras) {
            steps.run("close " + c.getClass().getSimpleName(), () -> {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("[sluice] error closing {}: {}", c, e.toString());
                }
            });
        }
        if (cluster != null) {
            steps.runBounded("close backend connections", cluster::close);
        }
        if (srvResolver != null) {
            steps.run("close the SRV resolver", srvResolver::close);
        }
        if (hostResolver != null) {
            steps.run("close the host resolver", hostResolver::close);
        }
        io.netty.util.concurrent.Future<?> bossDone = boss.shutdownGracefully(0, steps.remainingMS(), TimeUnit.MILLISECONDS);
        io.netty.util.concurrent.Future<?> workersDone = workers.shutdownGracefully(0, steps.remainingMS(), TimeUnit.MILLISECONDS);
        steps.runBounded("stop the acceptor loop", bossDone::awaitUninterruptibly);
        steps.runBounded("stop the worker loops", workersDone::awaitUninterruptibly);
        scheduler.shutdownNow();
        if (embedded != null) {
            steps.runBounded("stop the embedded backend", embedded::close);
        }
        long tookMS = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (steps.unfinished().isEmpty()) {
            LOG.info("[sluice] stopped in {} ms", tookMS);
        } else {
            LOG.warn("[sluice] stopped in {} ms; not finished in time, left to end with the process: {}",
                    tookMS, steps.unfinished());
        }
    }

    /** Time the forced part of a shutdown may take after shutdownTimeoutMS. */
    static final long FORCE_TIMEOUT_MS = 2_000;

    /** What a drain acts on here. */
    private final class DrainTarget implements Drain.Target {
        @Override
        public void stopAccepting() {
            new ShutdownSteps(System::nanoTime, FORCE_TIMEOUT_MS).run("stop accepting", mongoConnector::stopAccepting);
            if (loadBalancedConnector != null) {
                new ShutdownSteps(System::nanoTime, FORCE_TIMEOUT_MS).run("stop accepting (load-balanced)",
                        loadBalancedConnector::stopAccepting);
            }
        }

        @Override
        public DrainFigures figures() {
            Router r = router;
            int behindBalancer = loadBalancedConnector == null ? 0 : registry.currentCount("mongodb-lb");
            return new DrainFigures(registry.currentCount("mongodb") + behindBalancer, running(),
                    r == null ? 0 : r.cursors().size(), r == null ? 0 : r.transactions().size(), behindBalancer);
        }

        /**
         * Behind a load balancer drivers keep their connections: close each load-balanced client connection as
         * soon as nothing runs on it and it holds no cursor nor transaction, so that its driver (which clears
         * this serviceId's connections on the error and retries a retryable operation) reconnects through the
         * balancer to an instance still in rotation. Connections with open work stay until it ends.
         */
        @Override
        public void moveIdleClients() {
            Router r = router;
            if (loadBalancedConnector == null || r == null) {
                return;
            }
            // each idle connection's mark first, then the owners of cursors and transactions: a connection still idle
            // with the same mark when checked on its event loop ran nothing since, so any cursor or transaction it
            // holds was in the owners read here
            record Idle(dev.sluice.server.registry.ConnectionEntry entry, long mark) { }
            List<Idle> idle = new ArrayList<>();
            for (var e : registry.snapshot()) {
                long mark = "mongodb-lb".equals(e.connector()) ? e.idleMark() : -1;
                if (mark >= 0) {
                    idle.add(new Idle(e, mark));
                }
            }
            java.util.Set<Object> busy = r.cursors().owners();
            busy.addAll(r.transactions().owners());
            for (Idle i : idle) {
                if (!busy.contains(i.entry().owner())) {
                    i.entry().killIfStillIdle(i.mark(),
                            "draining: idle load-balanced connection closed so that its client reconnects elsewhere");
                }
            }
        }

        @Override
        public void quiesce() {
            if (hello != null) {
                hello.quiesce();
            }
        }

        @Override
        public int waitingHellos() {
            return hello == null ? 0 : hello.waiting();
        }

        @Override
        public void logRunning() {
            StringBuilder ops = new StringBuilder();
            for (var e : registry.snapshot()) {
                if (e.status() == dev.sluice.server.registry.ConnectionStatus.RUNNING && e.connector().startsWith("mongodb")) {
                    ops.append(' ').append(e.connectionId()).append('=').append(e.currentOp());
                }
            }
            if (ops.length() > 0) {
                LOG.warn("[sluice] operations still running after shutdownTimeoutMS={} ms; closing their connections:{}",
                        settings.shutdownTimeoutMS(), ops);
            }
        }
    }

    private int running() {
        int n = 0;
        for (var e : registry.snapshot()) {
            if (e.status() == dev.sluice.server.registry.ConnectionStatus.RUNNING
                    && "mongodb".equals(e.connector())) {
                n++;
            }
        }
        return n;
    }
}

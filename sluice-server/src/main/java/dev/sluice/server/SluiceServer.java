package dev.sluice.server;

import dev.sluice.pool.PoolListener;
import dev.sluice.server.admin.AdminCommands;
import dev.sluice.server.admin.AdminExecutor;
import dev.sluice.server.admin.AdminSettings;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.http.HttpConnector;
import dev.sluice.server.metrics.AlertSettings;
import dev.sluice.server.metrics.ConnectionAlerts;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.PoolMetricsListener;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.bson.BsonDocument;
import dev.sluice.server.client.HelloResponder;
import dev.sluice.server.client.LocalCommands;
import dev.sluice.server.client.MongoConnector;
import dev.sluice.server.client.SessionServices;
import dev.sluice.server.config.ServerSettings;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.embedded.EmbeddedBackend;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.route.CursorTable;
import dev.sluice.server.route.OwnerCleanup;
import dev.sluice.server.route.Router;
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
    private final ServerSettings settings;
    private final Clock clock;
    private final ConnectionRegistry registry;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService scheduler;
    private EmbeddedBackend embedded;
    private UpstreamCluster cluster;
    private MongoConnector mongoConnector;
    private Router router;
    private InetSocketAddress mongoAddress;
    private InetSocketAddress httpAddress;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PoolDirectory pools = new ClusterPools();
    private final SluiceMetrics metrics;
    private final java.time.Instant startTime;
    private volatile boolean closed;

    public SluiceServer(SluiceConfig config, Clock clock) {
        this.config = config;
        this.settings = config.server();
        this.clock = clock;
        this.registry = new ConnectionRegistry(clock);
        this.metrics = new SluiceMetrics(meters, registry, pools);
        this.startTime = clock.instant();
        this.transport = Transport.detect();
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
        }
        LOG.info("[upstream] {} (pool: maxPoolSize={}, minPoolSize={}, maxConnecting={}, maxIdleTimeMS={}, waitQueueTimeoutMS={})",
                upstream.uri(), upstream.pool().maxPoolSize(), upstream.pool().minPoolSize(),
                upstream.pool().maxConnecting(), upstream.pool().maxIdleTimeMS(), upstream.pool().waitQueueTimeoutMS());
        cluster = new UpstreamCluster(upstream, new dev.sluice.server.upstream.LoopLanes(workers), transport.clientChannel(), settings.maxMessageSizeBytes(),
                poolListener(), scheduler, initialWire);
        cluster.start();

        router = new Router(cluster, new CursorTable(), new TransactionTable());
        OwnerCleanup cleanup = new OwnerCleanup(router, PooledByteBufAllocator.DEFAULT);
        List<Compressor> compressors = new ArrayList<>();
        for (String name : settings.compressors()) {
            compressors.add(Compressor.byName(name));
        }
        SessionServices services = new SessionServices(registry, router, cleanup,
                new HelloResponder(clock, settings.maxMessageSizeBytes()), localCommands(), cluster,
                List.copyOf(compressors), settings.maxMessageSizeBytes(), System::nanoTime);
        mongoConnector = new MongoConnector(settings.listen().toSocketAddress(), boss, workers,
                transport.serverChannel(), services, settings.maxIncomingConnections());
        mongoAddress = mongoConnector.start();
        httpAddress = startHttp();
        LOG.info("[sluice] listening on mongodb://{}:{}/ (maxIncomingConnections={}, transport {})",
                mongoAddress.getHostString(), mongoAddress.getPort(), settings.maxIncomingConnections(), transport.name());
        return this;
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
        connectionAdmin = new ConnectionAdmin(registry, pools);
        AdminSettings adminSettings = new AdminSettings(settings.maxIncomingConnections(), Version.VERSION,
                hostName(), startTime, settings.limits().maxAdminIds());
        AdminCommands admin = new AdminCommands(registry, connectionAdmin, adminSettings, clock);
        AdminExecutor executor = new AdminExecutor(adminSettings.maxQueuedCommands());
        extras.add(executor);
        return new LocalCommands() {
            @Override
            public boolean handles(String commandName, BsonDocument command, String database) {
                return admin.handles(commandName, command, database);
            }

            @Override
            public CompletionStage<Reply> execute(String commandName, BsonDocument command, String database,
                                                  ConnectionEntry caller) {
                return executor.submit(commandName, () -> admin.execute(commandName, command, database, caller))
                        .thenApply(r -> new Reply(r.reply(), r.afterReply()));
            }
        };
    }

    /** Starts the HTTP connector and the periodic metrics, alert and history tasks. */
    private InetSocketAddress startHttp() throws InterruptedException {
        HistorySampler history = new HistorySampler(registry, pools, clock);
        ConnectionAlerts alerts = new ConnectionAlerts(meters, registry, pools, new AlertSettings(
                settings.maxIncomingConnections(), settings.alertThresholdPercent(), settings.alertHysteresisPercent()));
        scheduler.scheduleWithFixedDelay(() -> guarded(metrics::refresh), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(alerts::check), 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(history::sample), 0, 2, TimeUnit.SECONDS);
        if (settings.http() == null) {
            return null;
        }
        HttpConnector http = new HttpConnector(settings.http().toSocketAddress(), boss, workers,
                transport.serverChannel(), registry, connectionAdmin, meters, metrics, history);
        InetSocketAddress bound = http.start();
        extras.add(http);
        LOG.info("[http] listening on http://{}:{}/ (dashboard, /api, /metrics)", bound.getHostString(), bound.getPort());
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

    /** The upstream pools, before and after the cluster exists (metrics are built first). */
    private final class ClusterPools implements PoolDirectory {
        @Override
        public List<HostPoolStats> statistics() {
            UpstreamCluster c = cluster;
            return c == null ? List.of() : c.statistics();
        }

        @Override
        public boolean drop(String hostAndPort) {
            UpstreamCluster c = cluster;
            return c != null && c.drop(hostAndPort);
        }
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public InetSocketAddress mongoAddress() {
        return mongoAddress;
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

    /** The line printed on stdout when ready, as DESIGN.md fixes it. */
    public String readyLine() {
        String http = httpAddress == null ? "http://disabled/"
                : "http://" + httpAddress.getHostString() + ":" + httpAddress.getPort() + "/";
        return "sluice ready mongodb://" + mongoAddress.getHostString() + ":" + mongoAddress.getPort() + "/ " + http;
    }

    /**
     * Graceful stop: stop accepting, let in-flight operations finish for up to shutdownTimeoutMS,
     * then close clients, pools and the embedded backend.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("[sluice] shutting down: no new connections; waiting up to {} ms for in-flight operations",
                settings.shutdownTimeoutMS());
        if (mongoConnector != null) {
            mongoConnector.stopAccepting();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.shutdownTimeoutMS());
            while (running() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int left = running();
            if (left > 0) {
                StringBuilder ops = new StringBuilder();
                for (var e : registry.snapshot()) {
                    if (e.status() == dev.sluice.server.registry.ConnectionStatus.RUNNING) {
                        ops.append(' ').append(e.connectionId()).append('=').append(e.currentOp());
                    }
                }
                LOG.warn("[sluice] {} operations still running after {} ms; closing their connections:{}",
                        left, settings.shutdownTimeoutMS(), ops);
            }
            mongoConnector.close();
        }
        for (AutoCloseable c : extras) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("[sluice] error closing {}: {}", c, e.toString());
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
        if (embedded != null) {
            embedded.close();
        }
        LOG.info("[sluice] stopped");
    }

    private int running() {
        int n = 0;
        for (var e : registry.snapshot()) {
            if (e.status() == dev.sluice.server.registry.ConnectionStatus.RUNNING) {
                n++;
            }
        }
        return n;
    }
}

package dev.sluice.server;

import dev.sluice.pool.PoolListener;
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
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    private volatile boolean closed;

    public SluiceServer(SluiceConfig config, Clock clock) {
        this.config = config;
        this.settings = config.server();
        this.clock = clock;
        this.registry = new ConnectionRegistry(clock);
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
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
        cluster = new UpstreamCluster(upstream, workers, NioSocketChannel.class, settings.maxMessageSizeBytes(),
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
                NioServerSocketChannel.class, services, settings.maxIncomingConnections());
        mongoAddress = mongoConnector.start();
        httpAddress = startHttp();
        LOG.info("[sluice] listening on mongodb://{}:{}/ (maxIncomingConnections={})", mongoAddress.getHostString(),
                mongoAddress.getPort(), settings.maxIncomingConnections());
        return this;
    }

    /** Hook for the pool's events (metrics); overridden when connection management is wired. */
    private PoolListener poolListener() {
        return new PoolListener() {
        };
    }

    private LocalCommands localCommands() {
        return LocalCommands.NONE;
    }

    private InetSocketAddress startHttp() {
        return null;
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
                LOG.warn("[sluice] {} operations still running after {} ms; closing their connections",
                        left, settings.shutdownTimeoutMS());
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

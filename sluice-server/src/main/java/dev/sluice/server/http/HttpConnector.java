package dev.sluice.server.http;

import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.Addresses;
import dev.sluice.server.registry.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The http connector: the admin API, {@code /metrics} and the dashboard. Every accepted connection
 * is listed in the {@link ConnectionRegistry} (connector "http", ids {@code http-N}) and can be
 * killed like any other. The event loop groups belong to the caller, which shuts them down.
 */
public final class HttpConnector implements AutoCloseable {
    /** Largest request body accepted (1 MiB); larger ones get 413. */
    public static final int MAX_CONTENT_LENGTH = 1 << 20;
    private static final Logger log = LoggerFactory.getLogger(HttpConnector.class);

    private final InetSocketAddress bind;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final ConnectionRegistry registry;
    private final ApiRoutes routes;
    private final ChannelGroup channels = new DefaultChannelGroup("sluice-http", GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public HttpConnector(InetSocketAddress bind, EventLoopGroup bossGroup, EventLoopGroup workerGroup,
                         Class<? extends ServerChannel> channelClass, ConnectionRegistry registry,
                         ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics,
                         HistorySampler history) {
        this.bind = Objects.requireNonNull(bind, "bind");
        this.bossGroup = Objects.requireNonNull(bossGroup, "bossGroup");
        this.workerGroup = Objects.requireNonNull(workerGroup, "workerGroup");
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.routes = new ApiRoutes(Objects.requireNonNull(admin, "admin"), Objects.requireNonNull(meters, "meters"),
                Objects.requireNonNull(metrics, "metrics"), Objects.requireNonNull(history, "history"));
    }

    /**
     * Binds and starts accepting. Blocks until bound.
     *
     * @return the address actually bound (the chosen port when {@code bind} has port 0)
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public synchronized InetSocketAddress start() {
        if (serverChannel != null) {
            throw new IllegalStateException("http connector already started on " + serverChannel.localAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast("codec", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                                .addLast("api", new HttpRequestHandler(registry, routes));
                    }
                });
        try {
            serverChannel = bootstrap.bind(bind).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the http connector to " + bind, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the http connector to " + Addresses.format(bind)
                    + ": " + e.getMessage() + " (choose another --http HOST:PORT)", e);
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        log.info("[http] listening on http://{}/", Addresses.format(bound));
        return bound;
    }

    /** Stops accepting and closes every open HTTP connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        channels.close().syncUninterruptibly();
    }
}

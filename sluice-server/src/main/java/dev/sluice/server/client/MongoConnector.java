package dev.sluice.server.client;

import dev.sluice.server.config.TlsMode;
import dev.sluice.server.registry.Addresses;
import dev.sluice.server.security.tls.HandshakeFailures;
import dev.sluice.server.security.tls.ServerTls;
import dev.sluice.server.security.tls.TlsDetector;
import dev.sluice.server.wire.FrameBudget;
import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mongodb connector: accepts client connections, refuses (and counts) those past
 * maxIncomingConnections, and gives each accepted one the handlers of {@link ClientPipeline}.
 * With {@code net.tls.mode} on, a {@link TlsDetector} goes first: TLS connections get an
 * {@code SslHandler} of the context current when they were accepted; plain ones pass on, or under
 * requireTLS are closed, counted (limit close {@value #TLS_MODE}) and logged at most every 10 s.
 */
public final class MongoConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MongoConnector.class);

    private final InetSocketAddress bind;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelClass;
    private final SessionServices services;
    private volatile int maxIncomingConnections;
    /** Client connections open, shared with the other mongodb connector (one maxIncomingConnections for both). */
    private final AtomicInteger open;
    private final ClientFace face;
    /** Shared by every connection (a method reference made per connection would be an object per connection). */
    private final Runnable onSessionClosed;
    private final FrameDecoder.StallListener stallListener = this::stalled;
    /** The frame limits every client connection's decoder shares (made again if maxMessageSizeBytes changes). */
    private volatile FrameDecoder.Limits frameLimits;
    private static final io.netty.channel.AdaptiveRecvByteBufAllocator RECEIVE_ALLOCATOR =
            new io.netty.channel.AdaptiveRecvByteBufAllocator();
    private final FrameBudget frameBudget;
    private final long frameTimeoutMS;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, 10_000, System::nanoTime);
    private final TlsMode tlsMode;
    private final ServerTls tls;
    private final RateLimitedLog tlsRefusals = new RateLimitedLog(LOG, 10_000, System::nanoTime);
    private final RateLimitedLog handshakeFailures = new RateLimitedLog(LOG, 10_000, System::nanoTime);
    private Channel serverChannel;

    /** The limit-close key of a plain connection refused under requireTLS. */
    public static final String TLS_MODE = "net.tls.mode";
    /** The limit-close key of a connection whose TLS handshake failed. */
    public static final String TLS_HANDSHAKE = "net.tls";

    public MongoConnector(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
                          Class<? extends ServerChannel> channelClass, SessionServices services,
                          int maxIncomingConnections) {
        this(bind, boss, workers, channelClass, services, maxIncomingConnections, FrameBudget.unlimited(), 0);
    }

    /**
     * @param frameBudget    bytes of incomplete messages all client connections may hold (maxBufferedFrameBytes)
     * @param frameTimeoutMS a message not complete within this closes its connection (0: never)
     */
    public MongoConnector(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
                          Class<? extends ServerChannel> channelClass, SessionServices services,
                          int maxIncomingConnections, FrameBudget frameBudget, long frameTimeoutMS) {
        this(bind, boss, workers, channelClass, services, maxIncomingConnections, frameBudget, frameTimeoutMS,
                TlsMode.DISABLED, null);
    }

    /**
     * @param tlsMode {@code net.tls.mode}
     * @param tls     the certificate's contexts (required unless tlsMode is disabled)
     */
    public MongoConnector(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
                          Class<? extends ServerChannel> channelClass, SessionServices services,
                          int maxIncomingConnections, FrameBudget frameBudget, long frameTimeoutMS,
                          TlsMode tlsMode, ServerTls tls) {
        this(bind, boss, workers, channelClass, services, maxIncomingConnections, frameBudget, frameTimeoutMS, tlsMode,
                tls, ClientFace.router(null), new AtomicInteger());
    }

    /**
     * @param face what the connector presents itself as (router, or a load-balanced mongos)
     * @param open the count of open client connections, shared by both mongodb connectors
     */
    public MongoConnector(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
                          Class<? extends ServerChannel> channelClass, SessionServices services,
                          int maxIncomingConnections, FrameBudget frameBudget, long frameTimeoutMS,
                          TlsMode tlsMode, ServerTls tls, ClientFace face, AtomicInteger open) {
        this.face = face;
        this.open = open;
        this.onSessionClosed = open::decrementAndGet;
        if (tlsMode.acceptsTls() && tls == null) {
            throw new IllegalArgumentException("net.tls.mode " + tlsMode + " needs the certificate's contexts");
        }
        this.tlsMode = tlsMode;
        this.tls = tls;
        this.frameBudget = frameBudget;
        this.frameTimeoutMS = frameTimeoutMS;
        this.bind = bind;
        this.boss = boss;
        this.workers = workers;
        this.channelClass = channelClass;
        this.services = services;
        this.maxIncomingConnections = maxIncomingConnections;
    }

    /** Binds and returns the real address (port 0 picks a free port). */
    public InetSocketAddress start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // one allocator for every client channel (each channel keeps only its own small handle)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_ALLOCATOR)
                .childOption(ChannelOption.ALLOCATOR, dev.sluice.server.wire.FrameAllocator.INSTANCE)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > maxIncomingConnections) {
                            open.decrementAndGet();
                            services.registry().recordRejected(face.connector());
                            refusals.warn("[" + face.connector() + "] refusing connection from {}: {} connections open (maxIncomingConnections={})",
                                    ch.remoteAddress(), maxIncomingConnections, maxIncomingConnections);
                            ch.config().setOption(ChannelOption.SO_LINGER, 0); // reset: no TIME_WAIT left behind
                            ch.close();
                            return;
                        }
                        if (tlsMode.acceptsTls()) {
                            ch.pipeline().addLast("tlsDetector", new TlsDetector(tls.mongodb(), tlsMode.acceptsPlain(),
                                    MongoConnector.this::plainRefused));
                            ch.pipeline().addLast("tlsFailures", new HandshakeFailures(MongoConnector.this::handshakeFailed));
                        }
                        ClientPipeline.install(ch.pipeline(), new FrameDecoder(frameLimits()),
                                services, new ClientSession(services, onSessionClosed, face));
                    }
                });
        try {
            serverChannel = b.bind(bind).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the " + face.connector() + " connector to "
                    + Addresses.format(bind) + ": " + e.getMessage() + (face.isLoadBalanced() ? " (choose another --load-balanced-port PORT)"
                    : " (choose another --listen HOST:PORT)"), e);
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    private void plainRefused(Channel ch) {
        services.registry().recordLimitClose(face.connector(), TLS_MODE);
        tlsRefusals.warn("[mongodb] closing {}: it speaks without TLS and net.tls.mode is requireTLS (connect with tls=true)",
                ch.remoteAddress());
    }

    private void handshakeFailed(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
        services.registry().recordLimitClose(face.connector(), TLS_HANDSHAKE);
        handshakeFailures.warn("[mongodb] TLS handshake with {} failed, connection closed: {}{}", ctx.channel().remoteAddress(),
                HandshakeFailures.reason(cause), tls.settings().requestsClientCertificates()
                        ? " (clients must present a certificate issued by net.tls.CAFile "
                        + tls.settings().caFile() + (tls.settings().allowConnectionsWithoutCertificates() ? " or none)" : ")")
                        : "");
    }

    private FrameDecoder.Limits frameLimits() {
        FrameDecoder.Limits limits = frameLimits;
        int max = services.maxMessageSizeBytes();
        if (limits == null || limits.maxMessageSizeBytes() != max) {
            limits = new FrameDecoder.Limits(max, frameBudget, frameTimeoutMS, stallListener, System::nanoTime);
            frameLimits = limits;
        }
        return limits;
    }

    private void stalled(io.netty.channel.ChannelHandlerContext ctx, long heldBytes, long timeoutMS) {
        services.registry().recordLimitClose(face.connector(), "frameTimeoutMS");
        LOG.info("[mongodb] closing {}: a message started {} ms ago is still incomplete ({} bytes in; frameTimeoutMS={})",
                ctx.channel().remoteAddress(), timeoutMS, heldBytes, timeoutMS);
    }

    /**
     * A new maxIncomingConnections (a configuration reload): connections over it are not closed, new ones are
     * refused until the count is under it.
     */
    public void maxIncomingConnections(int value) {
        this.maxIncomingConnections = value;
    }

    /** Stops accepting; existing connections stay. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Client connections currently open. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting and closes every client connection (their in-flight operations end with them). */
    @Override
    public void close() {
        stopAccepting();
        for (var entry : services.registry().snapshot()) {
            if (face.connector().equals(entry.connector())) {
                entry.kill("Sluice is shutting down");
            }
        }
    }
}

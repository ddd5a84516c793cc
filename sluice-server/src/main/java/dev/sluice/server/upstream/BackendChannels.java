package dev.sluice.server.upstream;

import dev.sluice.server.wire.UpstreamCompression;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.resolver.AddressResolverGroup;

import java.net.SocketAddress;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Opens TCP connections to one upstream host on one event loop and wraps each in a {@link BackendConnection}
 * (reply framing bounded by maxUpstreamReplyBytes, then OP_COMPRESSED in both directions: {@link UpstreamCompression}),
 * with the TLS handshake when the URI asks for TLS. No MongoDB handshake: pools and monitors run their own.
 */
final class BackendChannels {
    private static final Logger LOG = LoggerFactory.getLogger(BackendChannels.class);
    private final String host;
    private final int port;
    private final Bootstrap bootstrap;
    private final int maxUpstreamReplyBytes;
    private final ChannelGroup channels;
    private final UpstreamTls tls;

    /**
     * @param connectTimeoutMS      the TCP connect limit (0 = 60 s, the most Sluice waits for a connect)
     * @param maxUpstreamReplyBytes the largest reply accepted (LimitSettings.maxUpstreamReplyBytes)
     * @param channels              every channel opened joins it, so shutdown can close them all
     * @param resolver              how host names become addresses (the configured dnsServers), or null for
     *                              Netty's default (the JDK's resolver: hosts file and system DNS)
     * @param tls                   TLS of every connection (the handshake is part of the connect), or null
     */
    BackendChannels(String host, int port, EventLoopGroup loop, Class<? extends Channel> channelClass,
                    long connectTimeoutMS, int maxUpstreamReplyBytes, ChannelGroup channels,
                    AddressResolverGroup<? extends SocketAddress> resolver, UpstreamTls tls) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.maxUpstreamReplyBytes = maxUpstreamReplyBytes;
        this.channels = channels;
        long connectTimeout = connectTimeoutMS == 0 ? 60_000 : connectTimeoutMS;
        this.bootstrap = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, dev.sluice.server.wire.FrameAllocator.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // handlers are added once the connection is up and its BackendConnection exists
                    }
                });
        if (resolver != null) {
            bootstrap.resolver(resolver);
        }
    }

    /** "host:port", as connections and errors name it. */
    String address() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * Connects; completes with the connection, or with an {@link UpstreamException} of kind HOST_UNREACHABLE.
     *
     * @param exhaustSupported false for an upstream that cannot parse exhaustAllowed (see BackendConnection)
     */
    CompletableFuture<BackendConnection> connect(long id, long socketTimeoutMS, int lane, boolean exhaustSupported) {
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.connect(host, port);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE,
                        address(), "cannot connect to upstream " + address() + ": " + describe(f.cause()), f.cause()));
                return;
            }
            Channel ch = connect.channel();
            channels.add(ch);
            BackendConnection connection = new BackendConnection(ch, address(), id, socketTimeoutMS, lane,
                    exhaustSupported);
            SslHandler ssl = tls == null ? null : tls.newHandler(ch.alloc(), host, port);
            if (ssl != null) {
                ch.pipeline().addLast("tls", ssl);
            }
            ReplyFrameDecoder frames = new ReplyFrameDecoder(maxUpstreamReplyBytes);
            ch.pipeline().addLast("frames", frames);
            ch.pipeline().addLast("compression", new UpstreamCompression(maxUpstreamReplyBytes));
            ch.pipeline().addLast("replies", new BackendHandler(connection, frames));
            if (ssl == null) {
                result.complete(connection);
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    result.complete(connection);
                    return;
                }
                // "upstream db1:27017: TLS handshake failed: <cause>": the form serverSelectionTimeoutMS errors repeat
                String message = "upstream " + address() + ": TLS handshake failed: " + UpstreamTls.describe(h.cause());
                LOG.warn("[upstream] {}", message);
                connection.close();
                result.completeExceptionally(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE,
                        address(), message, h.cause()));
            });
        });
        return result;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

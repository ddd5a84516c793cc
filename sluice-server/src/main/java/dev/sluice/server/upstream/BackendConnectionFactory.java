package dev.sluice.server.upstream;

import dev.sluice.pool.ConnectionClosedEvent;
import dev.sluice.pool.ConnectionDescriptor;
import dev.sluice.pool.ConnectionFactory;
import dev.sluice.server.config.HostAndPort;
import dev.sluice.server.config.UpstreamSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Opens backend connections to one host: TCP connect, then the handshake, both within
 * connectTimeoutMS.
 */
final class BackendConnectionFactory implements ConnectionFactory<BackendConnection> {
    private final HostAndPort host;
    private final UpstreamSettings settings;
    private final Bootstrap bootstrap;
    private final int maxUpstreamReplyBytes;
    private final int lane;
    private final java.util.function.Consumer<UpstreamFeatures> learned;
    private final ChannelGroup channels;

    /**
     * @param group                 the event loop the connections live on (one loop: the lane's)
     * @param maxUpstreamReplyBytes the largest reply accepted (LimitSettings.maxUpstreamReplyBytes)
     * @param channels              every backend channel joins it, so shutdown can close them all
     */
    BackendConnectionFactory(HostAndPort host, UpstreamSettings settings, EventLoopGroup group,
                             Class<? extends Channel> channelClass, int maxUpstreamReplyBytes, int lane,
                             java.util.function.Consumer<UpstreamFeatures> learned, ChannelGroup channels) {
        this.channels = channels;
        this.host = host;
        this.lane = lane;
        this.learned = learned;
        this.settings = settings;
        this.maxUpstreamReplyBytes = maxUpstreamReplyBytes;
        long connectTimeout = settings.connectTimeoutMS() == 0 ? 60_000 : settings.connectTimeoutMS();
        this.bootstrap = new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // handlers are added per connection in open(), once the BackendConnection exists
                    }
                });
    }

    @Override
    public CompletionStage<BackendConnection> open(ConnectionDescriptor descriptor) {
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.connect(host.host(), host.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Kind.HOST_UNREACHABLE,
                        host.toString(), "cannot connect to upstream " + host + ": " + describe(f.cause()), f.cause()));
                return;
            }
            Channel ch = connect.channel();
            channels.add(ch);
            // the embedded backend (mongo-java-server) closes the connection on exhaustAllowed
            BackendConnection connection = new BackendConnection(ch, host.toString(), descriptor.connectionId(),
                    settings.socketTimeoutMS(), lane, !settings.embedded());
            ReplyFrameDecoder frames = new ReplyFrameDecoder(maxUpstreamReplyBytes);
            ch.pipeline().addLast("frames", frames);
            ch.pipeline().addLast("replies", new BackendHandler(connection, frames));
            ScheduledFuture<?> deadline = settings.connectTimeoutMS() == 0 ? null : ch.eventLoop().schedule(() -> {
                if (!result.isDone()) {
                    connection.fail(new UpstreamException(UpstreamException.Kind.NETWORK_TIMEOUT, host.toString(),
                            "handshake with upstream " + host + " did not finish within "
                                    + settings.connectTimeoutMS() + " ms (connectTimeoutMS)"));
                }
            }, settings.connectTimeoutMS(), TimeUnit.MILLISECONDS);
            BackendHandshake.run(connection, ch.alloc(), settings.appName(), settings.compressors(), settings.embedded())
                    .whenComplete((features, e) -> {
                        if (deadline != null) {
                            deadline.cancel(false);
                        }
                        if (e != null) {
                            connection.close();
                            result.completeExceptionally(e);
                        } else {
                            learned.accept(features);
                            result.complete(connection);
                        }
                    });
        });
        return result;
    }

    @Override
    public void close(BackendConnection connection, ConnectionClosedEvent.Reason reason) {
        connection.close();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

package dev.sluice.server.client;

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
 * maxIncomingConnections, and gives each accepted one a frame decoder and a {@link ClientSession}.
 */
public final class MongoConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MongoConnector.class);

    private final InetSocketAddress bind;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelClass;
    private final SessionServices services;
    private final int maxIncomingConnections;
    private final AtomicInteger open = new AtomicInteger();
    private Channel serverChannel;

    public MongoConnector(InetSocketAddress bind, EventLoopGroup boss, EventLoopGroup workers,
                          Class<? extends ServerChannel> channelClass, SessionServices services,
                          int maxIncomingConnections) {
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
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > maxIncomingConnections) {
                            open.decrementAndGet();
                            services.registry().recordRejected(ClientSession.CONNECTOR);
                            LOG.warn("[mongodb] refusing connection from {}: {} connections open (maxIncomingConnections={})",
                                    ch.remoteAddress(), maxIncomingConnections, maxIncomingConnections);
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast("frames", new FrameDecoder(services.maxMessageSizeBytes()));
                        ch.pipeline().addLast("session", new ClientSession(services, open::decrementAndGet));
                    }
                });
        serverChannel = b.bind(bind).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
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
            if (ClientSession.CONNECTOR.equals(entry.connector())) {
                entry.kill("Sluice is shutting down");
            }
        }
    }
}

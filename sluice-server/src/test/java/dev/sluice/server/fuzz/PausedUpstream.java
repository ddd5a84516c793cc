package dev.sluice.server.fuzz;

import dev.sluice.pool.PoolListener;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.upstream.LoopLanes;
import dev.sluice.server.upstream.UpstreamCluster;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An upstream cluster that is never started: its pool stays paused, so every check-out fails at once and no socket
 * is ever opened. What the session tests put behind a {@link SessionFixture}.
 */
final class PausedUpstream implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final UpstreamCluster cluster;

    PausedUpstream(int maxMessageSizeBytes) {
        cluster = new UpstreamCluster(UpstreamSettings.fromUri("mongodb://127.0.0.1:1/?connectTimeoutMS=100", false),
                new LoopLanes(group), NioSocketChannel.class, maxMessageSizeBytes, new PoolListener() { }, scheduler,
                17);
    }

    UpstreamCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        cluster.close();
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}

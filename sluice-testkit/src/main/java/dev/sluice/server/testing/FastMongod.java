package dev.sluice.server.testing;

import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link FakeMongod}'s fast mode, for proxy benchmarks (start it with {@link FakeMongod#fast}): a standalone server (wire version 17) answering from
 * memory. hello/isMaster/ismaster (OP_MSG, or OP_QUERY for legacy handshakes), find (one small
 * document, cursor id 0), insert ({@code n}), and {@code {ok: 1}} for everything else. It keeps no
 * data, injects no faults and does no work per request beyond reading the command name; it runs on
 * {@code threads} event loops where FakeMongod has one.
 *
 * <p>{@code java -cp benchmarks.jar dev.sluice.server.testing.FastMongod [--port 0] [--threads 1]}
 * prints {@code fastmongod ready 127.0.0.1:PORT} and serves until killed.
 */
public final class FastMongod implements AutoCloseable {

    /** Connection and request counts, for checking what a proxy opens upstream. */
    public static final class Counters {
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicLong totalOpened = new AtomicLong();
        private final AtomicLong requests = new AtomicLong();

        void opened() {
            totalOpened.incrementAndGet();
            peak.accumulateAndGet(current.incrementAndGet(), Math::max);
        }

        void closed() {
            current.decrementAndGet();
        }

        void request() {
            requests.incrementAndGet();
        }

        public int current() {
            return current.get();
        }

        public int peak() {
            return peak.get();
        }

        public long totalOpened() {
            return totalOpened.get();
        }

        public long requests() {
            return requests.get();
        }
    }

    private final EventLoopGroup group;
    private final Channel server;
    private final Counters counters = new Counters();

    private FastMongod(String host, int port, int threads) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        FastMongodHandler handler = new FastMongodHandler(new FastMongodReplies(17), counters);
        try {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new FrameDecoder(), handler);
                        }
                    }).bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** Starts a fake mongod on {@code host:port} (port 0 picks one) with {@code threads} event loops. */
    public static FastMongod start(String host, int port, int threads) throws InterruptedException {
        return new FastMongod(host, port, threads);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: FastMongod [--host 127.0.0.1] [--port 0] [--threads 1]");
                    System.exit(2);
                }
            }
        }
        FastMongod mongod = start(host, port, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(mongod::close));
        System.out.println("fastmongod ready " + mongod.address().getHostString() + ":" + mongod.port());
        new CountDownLatch(1).await();
    }
}

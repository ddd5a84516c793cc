package dev.sluice.bench.proxy;

import dev.sluice.server.wire.FrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives N concurrent clients of one {@link ClientKind} against a target for a warm-up plus a
 * measured duration, and returns throughput and latency percentiles of the measured part.
 * Everything is bounded: setup waits at most 60 s, the clients stop at the window's end.
 *
 * <pre>java -cp benchmarks.jar dev.sluice.bench.proxy.LoadGenerator --target mongodb://127.0.0.1:27016/ \
 *     [--kind raw|driver|nio] [--clients 16] [--warmup-ms 3000] [--duration-ms 10000]</pre>
 */
public final class LoadGenerator {
    private static final long SETUP_TIMEOUT_MILLIS = 60_000;

    private LoadGenerator() {
    }

    static CellResult run(String label, InetSocketAddress target, ClientKind kind, int clients, long warmupMillis,
                          long durationMillis) throws InterruptedException {
        return run(label, target, kind, clients, warmupMillis, durationMillis, w -> { });
    }

    /** As above; {@code onOpen} is told the window as soon as it is set (to sample the target's CPU). */
    static CellResult run(String label, InetSocketAddress target, ClientKind kind, int clients, long warmupMillis,
                          long durationMillis, Consumer<Window> onOpen) throws InterruptedException {
        Phases phases = new Phases(clients, warmupMillis, durationMillis);
        List<Client> all = new ArrayList<>(clients);
        EventLoopGroup group = null;
        List<Thread> threads = new ArrayList<>();
        Window window;
        if (kind == ClientKind.NIO) {
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                NioClient c = new NioClient(phases);
                all.add(c);
                ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new FrameDecoder(), c.handler());
                            }
                        }).connect(target).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    c.error(f.cause());
                    phases.leave();
                }
                channels.add(f.channel());
            }
            window = phases.open(SETUP_TIMEOUT_MILLIS);
            onOpen.accept(window);
            for (int i = 0; i < clients; i++) {
                NioClient c = (NioClient) all.get(i);
                channels.get(i).eventLoop().execute(() -> c.begin(window));
            }
        } else {
            for (int i = 0; i < clients; i++) {
                Client c = kind == ClientKind.RAW ? new RawClient(target, phases) : new DriverClient(target, phases);
                all.add(c);
                Thread t = new Thread((Runnable) c, label + "-" + kind.label() + "-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            window = phases.open(SETUP_TIMEOUT_MILLIS);
            onOpen.accept(window);
        }
        long remaining = TimeUnit.NANOSECONDS.toMillis(window.end() - System.nanoTime()) + 30_000;
        if (!phases.awaitDone(remaining)) {
            System.err.println("[load] some " + label + " clients did not stop in time");
        }
        for (Thread t : threads) {
            t.join(1_000);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        Histogram total = new Histogram(3);
        long errors = 0;
        String firstError = null;
        for (Client c : all) {
            total.add(c.latencies);
            errors += c.errors;
            if (firstError == null) {
                firstError = c.firstError;
            }
        }
        return CellResult.of(label, kind, clients, total, window.seconds(), errors, firstError);
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args, "LoadGenerator --target mongodb://HOST:PORT/ [--kind raw|driver|nio] [--clients 16] "
                + "[--warmup-ms 3000] [--duration-ms 10000]", "target", "kind", "clients", "warmup-ms", "duration-ms");
        InetSocketAddress target = Args.hostPort(a.string("target", "mongodb://127.0.0.1:27016/"));
        CellResult r = run("target", target, ClientKind.parse(a.string("kind", "raw")), a.integer("clients", 16),
                a.integer("warmup-ms", 3000), a.integer("duration-ms", 10_000));
        System.out.println(r);
    }
}

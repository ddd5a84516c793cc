package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;
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
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The serverless storm: N client connections to Sluice, each doing a hello and one find, then held
 * idle. Measures the time to serve them all, the backend connections Sluice opened (its
 * {@code /api/pools} and FastMongod's own count), Sluice's live heap and native memory before and
 * after (per idle connection), and what the kernel holds. One NIO client (2 event loops) holds all
 * the connections; at most {@code --concurrency} are being set up at once. Bounded: setup stops at
 * {@code --timeout-ms}.
 *
 * <pre>java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.ConnectionStorm --clients 10000 \
 *     [--max-pool-size 100] [--concurrency 500] [--source-ips 1] [--out target/storm-10000.md]</pre>
 */
public final class ConnectionStorm {
    static final String USAGE = "ConnectionStorm [--clients 10000] [--max-pool-size 100] [--concurrency 500] "
            + "[--source-ips 1] [--timeout-ms 300000] [--sluice-jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar] "
            + "[--sluice-jvm-opts '-XX:+UseSerialGC -Xss512k -XX:NativeMemoryTracking=summary'] "
            + "[--logs target/bench-logs] [--out target/storm.md] [--admin 1 (time listConnections, /api/connections, /metrics)]";

    private ConnectionStorm() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, USAGE, "clients", "admin", "max-pool-size", "concurrency", "source-ips", "timeout-ms",
                "sluice-jar", "sluice-jvm-opts", "logs", "out");
        int clients = a.integer("clients", 10_000);
        int maxPoolSize = a.integer("max-pool-size", 100);
        int concurrency = a.integer("concurrency", 500);
        int sourceIps = a.integer("source-ips", 1);
        boolean admin = a.integer("admin", 0) != 0;
        long timeoutMillis = a.integer("timeout-ms", 300_000);
        String jvmOpts = a.string("sluice-jvm-opts", "-XX:+UseSerialGC -Xss512k -XX:NativeMemoryTracking=summary");
        Path logs = Path.of(a.string("logs", "target/bench-logs"));
        StringBuilder md = new StringBuilder();
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, 1);
             Launch.Sluice sluice = Launch.sluice(Path.of(a.string("sluice-jar",
                             "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar")),
                     "mongodb://127.0.0.1:" + mongod.port() + "/?maxPoolSize=" + maxPoolSize,
                     ChildProcess.options(jvmOpts), logs.resolve("sluice-storm.log"))) {
            JvmProbe jvm = new JvmProbe(sluice.process().pid());
            Thread.sleep(2000);
            long heap0 = jvm.heapAfterFullGc();
            long[] nmt0 = jvm.nativeMemory();
            Map<String, long[]> histo0 = jvm.classHistogram();
            KernelProbe k0 = KernelProbe.read();
            int fds0 = jvm.openFiles();
            System.err.printf("[storm] Sluice %s (pid %d): idle heap %d KB, NMT %d KB (Other %d KB); opening %d clients%n",
                    sluice.mongo(), sluice.process().pid(), heap0 >> 10, nmt0[0] >> 10, nmt0[1] >> 10, clients);

            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            Histogram perClient = new ConcurrentHistogram(3);
            AtomicLong failed = new AtomicLong();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(clients);
            Semaphore setup = new Semaphore(concurrency);
            List<Channel> channels = new ArrayList<>(clients);
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            int launched = 0;
            for (; launched < clients; launched++) {
                if (!setup.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    System.err.println("[storm] setup timed out after " + launched + " connections");
                    break;
                }
                StormClient.Outcome outcome = new StormClient.Outcome() {
                    @Override
                    public void served(long nanos) {
                        perClient.recordValue(nanos);
                        setup.release();
                        done.countDown();
                    }

                    @Override
                    public void failed(Throwable cause) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, cause.toString());
                        setup.release();
                        done.countDown();
                    }
                };
                StormClient handler = new StormClient(outcome, System.nanoTime());
                Bootstrap cb = b.clone().handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(), handler);
                    }
                });
                ChannelFuture f = sourceIps > 1
                        ? cb.connect(sluice.mongo(), new InetSocketAddress("127.0.0." + (1 + launched % sourceIps), 0))
                        : cb.connect(sluice.mongo());
                f.addListener(c -> {
                    if (!c.isSuccess()) {
                        handler.report(c.cause());
                    }
                });
                channels.add(f.channel());
            }
            for (int i = launched; i < clients; i++) {
                done.countDown();
            }
            done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long served = perClient.getTotalCount();
            System.err.printf("[storm] %d served, %d failed in %.2f s%n", served, failed.get(), seconds);
            Thread.sleep(2000);
            long heap1 = jvm.heapAfterFullGc();
            long[] nmt1 = jvm.nativeMemory();
            Map<String, long[]> histo1 = jvm.classHistogram();
            KernelProbe k1 = KernelProbe.read();
            int fds1 = jvm.openFiles();
            String pools = sluice.get("/api/pools");
            FastMongod.Counters backend = mongod.counters();
            long idle = served;

            md.append(String.format(Locale.ROOT, "Storm of %d clients (hello + find, then idle) through Sluice "
                    + "(upstream maxPoolSize=%d; Sluice JVM `%s`), %d at once in setup, %d source address(es); %s%n%n",
                    clients, maxPoolSize, jvmOpts, concurrency, sourceIps, Report.machine()));
            md.append("| figure | value |\n|---|---:|\n");
            row(md, "clients served (hello + find ok)", served + " of " + clients);
            row(md, "failed", failed.get() + (firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")"));
            row(md, "time to serve all", String.format(Locale.ROOT, "%.2f s (%.0f clients/s)", seconds, served / seconds));
            row(md, "per client, connect to find reply: p50 / p99 / max", String.format(Locale.ROOT,
                    "%.1f / %.1f / %.1f ms", perClient.getValueAtPercentile(50) / 1e6,
                    perClient.getValueAtPercentile(99) / 1e6, perClient.getMaxValue() / 1e6));
            row(md, "Sluice backend connections created (`/api/pools` totalCreated)",
                    Launch.jsonNumber(pools, "totalCreated") + " (maxPoolSize " + maxPoolSize + ")");
            row(md, "FastMongod connections: total opened / peak at once / open now", backend.totalOpened() + " / "
                    + backend.peak() + " / " + backend.current() + " (Sluice's pool plus its monitor)");
            row(md, "Sluice open file descriptors before / after", fds0 + " / " + fds1);
            row(md, "Sluice live heap after full GC, before / after", kb(heap0) + " / " + kb(heap1));
            row(md, "**heap per idle client connection**", perConnection(heap1 - heap0, idle));
            row(md, "same from the class histogram totals", perConnection(
                    histo1.get("TOTAL")[1] - histo0.get("TOTAL")[1], idle));
            row(md, "Sluice NMT committed, before / after", kb(nmt0[0]) + " / " + kb(nmt1[0]));
            row(md, "NMT Other (direct buffers, Netty's included), before / after", kb(nmt0[1]) + " / " + kb(nmt1[1]));
            row(md, "direct memory per idle client connection", perConnection(nmt1[1] - nmt0[1], idle));
            row(md, "kernel: TCP sockets in use before / after (both ends of each connection)",
                    k0.tcpAlloc() + " / " + k1.tcpAlloc());
            row(md, "kernel: TCP buffer memory (sockstat mem) before / after", k0.tcpMemPages() * 4 + " KB / "
                    + k1.tcpMemPages() * 4 + " KB");
            row(md, "kernel: slab per socket (Slab delta / sockets delta, system-wide)",
                    perConnection(k1.slabBytes() - k0.slabBytes(), Math.max(1, k1.tcpAlloc() - k0.tcpAlloc())));
            if (admin) {
                AdminAtScale.measure(sluice, 10, md);
            }
            md.append("\nLargest live-heap growth in Sluice during the storm (class histogram after minus before, "
                    + "divided by the idle connections):\n\n| class | objects per connection | bytes per connection |\n"
                    + "|---|---:|---:|\n");
            for (String line : JvmProbe.topGrowth(histo0, histo1, 50, Math.max(1, idle))) {
                md.append(line).append('\n');
            }
            System.err.println("[storm] closing clients");
            for (Channel ch : channels) {
                ch.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.out.println(md);
        Path out = Path.of(a.string("out", "target/storm.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.err.println("[storm] report written to " + out.toAbsolutePath());
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String kb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d KB", bytes >> 10);
    }

    private static String perConnection(long bytes, long connections) {
        return connections <= 0 ? "n/a" : String.format(Locale.ROOT, "%,d bytes", bytes / connections);
    }
}

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
            + "[--sluice-jvm-opts '-XX:+UseSerialGC -Xss512k -Xmn32m -XX:NativeMemoryTracking=summary'] "
            + "[--logs target/bench-logs] [--out target/storm.md] [--admin 1 (time listConnections, /api/connections, /metrics)] "
            + "[--target sluice|floor (IdleFloor: a bare Netty server, the floor under Sluice's figures)] "
            + "[--auth 1 (Sluice with --auth; each client logs in with SCRAM-SHA-256)] [--warmup-clients 1000] "
            + "[--warmup-ms 0 (16 raw clients doing finds for this long before the baseline, so that the young generation "
            + "has been used once, as in a process that has served traffic; not with --auth)] "
            + "[--baseline-clients 0 (clients opened and kept idle before the baseline: the figures are then those of "
            + "the next --clients in a process that already holds these)] [--hold-ms 0]";

    private ConnectionStorm() {
    }

    /** What one wave of clients did; its channels stay open until closed. */
    private record Wave(long served, long failed, String firstFailure, double seconds, Histogram perClient,
                        List<Channel> channels) {
        void close() {
            for (Channel ch : channels) {
                ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, USAGE, "clients", "admin", "max-pool-size", "concurrency", "source-ips", "timeout-ms",
                "sluice-jar", "sluice-jvm-opts", "logs", "out", "target", "auth", "warmup-clients", "warmup-ms", "baseline-clients", "hold-ms");
        int clients = a.integer("clients", 10_000);
        int maxPoolSize = a.integer("max-pool-size", 100);
        int concurrency = a.integer("concurrency", 500);
        int sourceIps = a.integer("source-ips", 1);
        int warmupClients = a.integer("warmup-clients", 1_000);
        long warmupTrafficMillis = a.integer("warmup-ms", 0);
        int baselineClients = a.integer("baseline-clients", 0);
        boolean admin = a.integer("admin", 0) != 0;
        boolean auth = a.integer("auth", 0) != 0;
        boolean floor = a.string("target", "sluice").equals("floor");
        if (!floor && !a.string("target", "sluice").equals("sluice")) {
            throw new IllegalArgumentException("--target is sluice or floor\n" + USAGE);
        }
        long timeoutMillis = a.integer("timeout-ms", 300_000);
        String jvmOpts = a.string("sluice-jvm-opts", Launch.SLUICE_JVM_OPTS + " -XX:NativeMemoryTracking=summary");
        Path logs = Path.of(a.string("logs", "target/bench-logs"));
        Path jar = Path.of(a.string("sluice-jar", "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar"));
        StringBuilder md = new StringBuilder();
        String what = floor ? "IdleFloor (a bare Netty server: frame decoder + one shared responder)"
                : auth ? "Sluice with --auth (embedded backend; each client logs in with SCRAM-SHA-256, the first step in its hello)"
                : "Sluice";
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, 1);
             Launch.Sluice sluice = floor ? null : auth
                     ? Launch.sluice(jar, null, List.of("--auth"), ChildProcess.options(jvmOpts), logs.resolve("sluice-storm.log"))
                     : Launch.sluice(jar, "mongodb://127.0.0.1:" + mongod.port() + "/?maxPoolSize=" + maxPoolSize,
                     ChildProcess.options(jvmOpts), logs.resolve("sluice-storm.log"));
             ChildProcess floorServer = floor ? Launch.floor(ChildProcess.options(jvmOpts), logs.resolve("floor-storm.log")) : null) {
            InetSocketAddress target = floor ? Launch.hostPort(floorServer) : sluice.mongo();
            long pid = floor ? floorServer.pid() : sluice.process().pid();
            if (auth) {
                createUser(target);
            }
            JvmProbe jvm = new JvmProbe(pid);
            if (admin && !floor) {
                AdminAtScale.scrapeOnce(sluice); // Prometheus scrapes from the start: the scrape path is warm before the crowd
            }
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            if (warmupClients > 0) { // the same path once, so that JIT code, buffer pools and the young generation are in the baseline
                Wave warm = wave(group, target, warmupClients, concurrency, sourceIps, timeoutMillis, auth);
                System.err.printf("[storm] warm-up: %d served, %d failed in %.2f s%n", warm.served(), warm.failed(), warm.seconds());
                warm.close();
            }
            if (warmupTrafficMillis > 0 && !auth) { // touches the young generation once: a one-off, not per client
                CellResult r = LoadGenerator.run("warm-up", target, ClientKind.RAW, 16, 0, warmupTrafficMillis);
                System.err.printf("[storm] warm-up traffic: %d finds in %d ms%n", r.ops(), warmupTrafficMillis);
            }
            Wave held = null;
            if (baselineClients > 0) { // kept open: the storm's figures are then those of the clients after these
                held = wave(group, target, baselineClients, concurrency, sourceIps, timeoutMillis, auth);
                System.err.printf("[storm] baseline: %d clients held idle (%d failed)%n", held.served(), held.failed());
            }
            Thread.sleep(2000);
            long heap0 = jvm.heapAfterFullGc();
            long rss0 = jvm.residentBytes();
            long[] nmt0 = jvm.nativeMemory();
            Map<String, long[]> histo0 = jvm.classHistogram();
            KernelProbe k0 = KernelProbe.read();
            int fds0 = jvm.openFiles();
            System.err.printf("[storm] %s (pid %d): idle heap %d KB, RSS %d KB, NMT %d KB (Other %d KB); opening %d clients%n",
                    target, pid, heap0 >> 10, rss0 >> 10, nmt0[0] >> 10, nmt0[1] >> 10, clients);

            Wave w = wave(group, target, clients, concurrency, sourceIps, timeoutMillis, auth);
            System.err.printf("[storm] %d served, %d failed in %.2f s%n", w.served(), w.failed(), w.seconds());
            Thread.sleep(2000);
            long heap1 = jvm.heapAfterFullGc();
            long rss1 = jvm.residentBytes();
            long[] nmt1 = jvm.nativeMemory();
            Map<String, long[]> histo1 = jvm.classHistogram();
            KernelProbe k1 = KernelProbe.read();
            int fds1 = jvm.openFiles();
            long idle = w.served();

            md.append(String.format(Locale.ROOT, "Storm of %d clients (hello%s + find, then idle) against %s "
                    + "(upstream maxPoolSize=%d; JVM `%s`), %d at once in setup, %d source address(es), after a warm-up wave "
                    + "of %d clients (opened, served, closed)%s; %s%n%n",
                    clients, auth ? " with SCRAM login" : "", what, maxPoolSize, jvmOpts, concurrency, sourceIps,
                    warmupClients, warmupTrafficMillis > 0 && !auth ? " and " + warmupTrafficMillis
                            + " ms of finds by 16 clients (the young generation used once before the baseline)" : "",
                    Report.machine()));
            if (held != null) {
                md.append(String.format(Locale.ROOT, "Baseline taken with %d earlier clients held idle (hello + find "
                        + "each): the figures per client below are those of the %d clients opened after them.%n%n",
                        held.served(), clients));
            }
            md.append("| figure | value |\n|---|---:|\n");
            row(md, "clients served (hello + find ok)", w.served() + " of " + clients);
            row(md, "failed", w.failed() + (w.firstFailure() == null ? "" : " (first: " + w.firstFailure() + ")"));
            row(md, "time to serve all", String.format(Locale.ROOT, "%.2f s (%.0f clients/s)", w.seconds(),
                    w.served() / w.seconds()));
            row(md, "per client, connect to find reply: p50 / p99 / max", String.format(Locale.ROOT,
                    "%.1f / %.1f / %.1f ms", w.perClient().getValueAtPercentile(50) / 1e6,
                    w.perClient().getValueAtPercentile(99) / 1e6, w.perClient().getMaxValue() / 1e6));
            if (!floor && !auth) {
                String pools = sluice.get("/api/pools");
                FastMongod.Counters backend = mongod.counters();
                row(md, "Sluice backend connections created (`/api/pools` totalCreated)",
                        Launch.jsonNumber(pools, "totalCreated") + " (maxPoolSize " + maxPoolSize + ")");
                row(md, "FastMongod connections: total opened / peak at once / open now", backend.totalOpened() + " / "
                        + backend.peak() + " / " + backend.current() + " (Sluice's pool plus its monitor)");
            }
            row(md, "open file descriptors before / after", fds0 + " / " + fds1);
            row(md, "live heap after full GC, before / after", kb(heap0) + " / " + kb(heap1));
            row(md, "**heap per idle client connection**", perConnection(heap1 - heap0, idle));
            row(md, "same from the class histogram totals", perConnection(
                    histo1.get("TOTAL")[1] - histo0.get("TOTAL")[1], idle));
            row(md, "resident set (VmRSS), before / after", kb(rss0) + " / " + kb(rss1));
            row(md, "**RSS growth per idle client connection**", perConnection(rss1 - rss0, idle));
            row(md, "NMT committed, before / after", kb(nmt0[0]) + " / " + kb(nmt1[0]));
            row(md, "NMT Other (direct buffers, Netty's included), before / after", kb(nmt0[1]) + " / " + kb(nmt1[1]));
            row(md, "direct memory per idle client connection", perConnection(nmt1[1] - nmt0[1], idle));
            row(md, "kernel: TCP sockets in use before / after (both ends of each connection)",
                    k0.tcpAlloc() + " / " + k1.tcpAlloc());
            row(md, "kernel: TCP buffer memory (sockstat mem) before / after", k0.tcpMemPages() * 4 + " KB / "
                    + k1.tcpMemPages() * 4 + " KB");
            row(md, "kernel: slab per socket (Slab delta / sockets delta, system-wide)",
                    perConnection(k1.slabBytes() - k0.slabBytes(), Math.max(1, k1.tcpAlloc() - k0.tcpAlloc())));
            if (admin && !floor) {
                AdminAtScale.measure(sluice, 10, md);
            }
            md.append("\nLargest live-heap growth during the storm (class histogram after minus before, "
                    + "divided by the idle connections):\n\n| class | objects per connection | bytes per connection |\n"
                    + "|---|---:|---:|\n");
            for (String line : JvmProbe.topGrowth(histo0, histo1, 50, Math.max(1, idle))) {
                md.append(line).append('\n');
            }
            long hold = a.integer("hold-ms", 0);
            if (hold > 0) { // time to look at the process by hand (jcmd, curl /metrics) while the clients are idle
                System.err.printf("[storm] holding %d idle clients for %d ms (pid %d, %s)%n", idle, hold, pid,
                        floor ? target : sluice.http());
                Thread.sleep(hold);
            }
            System.err.println("[storm] closing clients");
            w.close();
            if (held != null) {
                held.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        System.out.println(md);
        Path out = Path.of(a.string("out", "target/storm.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.err.println("[storm] report written to " + out.toAbsolutePath());
    }

    /** The storm's user, created through the localhost exception (no user exists yet). */
    private static void createUser(InetSocketAddress target) {
        try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients.create("mongodb://"
                + target.getHostString() + ":" + target.getPort() + "/?serverSelectionTimeoutMS=10000")) {
            client.getDatabase("admin").runCommand(new org.bson.Document("createUser", STORM_USER)
                    .append("pwd", STORM_PASSWORD).append("roles", List.of("readWriteAnyDatabase")));
        }
    }

    private static final String STORM_USER = "storm";
    private static final String STORM_PASSWORD = "storm-password";

    /** Opens {@code clients} connections, at most {@code concurrency} being set up at once; waits until each is served or failed. */
    private static Wave wave(EventLoopGroup group, InetSocketAddress target, int clients, int concurrency, int sourceIps,
                             long timeoutMillis, boolean auth) throws InterruptedException {
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
            StormClient handler = new StormClient(outcome, System.nanoTime(),
                    auth ? new StormLogin(STORM_USER, STORM_PASSWORD) : null);
            Bootstrap cb = b.clone().handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FrameDecoder(), handler);
                }
            });
            ChannelFuture f = sourceIps > 1
                    ? cb.connect(target, new InetSocketAddress("127.0.0." + (1 + launched % sourceIps), 0))
                    : cb.connect(target);
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
        return new Wave(perClient.getTotalCount(), failed.get(), firstFailure.get(), seconds, perClient, channels);
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

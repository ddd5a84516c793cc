package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * One run of the proxy benchmark: a {@link FastMongod} in this JVM, a {@link TcpRelay} and Sluice
 * in their own JVMs (same JVM options), then for each client kind and client count the three
 * targets one after another (direct, relay, Sluice), each for a warm-up plus a measured duration.
 * Prints a Markdown report (tables, ratios against the targets) and writes it to {@code --out}.
 *
 * <pre>java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.ProxyBenchmark \
 *     [--clients 1,16,64,256] [--kinds raw,driver] [--driver-clients 1,16] [--warmup-ms 3000] \
 *     [--duration-ms 10000] [--max-pool-size 100] [--out target/proxy-bench.md]</pre>
 */
public final class ProxyBenchmark {
    static final String USAGE = "ProxyBenchmark [--clients 1,16,64,256] [--kinds raw,driver,nio] "
            + "[--driver-clients 1,16] [--warmup-ms 3000] [--duration-ms 10000] [--pause-ms 1000] "
            + "[--prewarm-ms 20000] [--rounds 1 (cycles of the targets per cell; medians reported)] [--targets direct,relay,haproxy,sluice] [--max-pool-size 100] [--backend-threads 1] "
            + "[--sluice-jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar] "
            + "[--proxy-jvm-opts '-XX:+UseSerialGC -Xss512k -Xmn32m'] [--sluice-extra-opts ''] "
            + "[--sluice-alt-opts '' (a second Sluice with these options too, target sluice-alt)] "
            + "[--sluice-alt-jar JAR (a second Sluice from this jar, say the build before a change, target sluice-alt)] "
            + "[--logs target/bench-logs] "
            + "[--out target/proxy-bench.md]";

    private ProxyBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, USAGE, "clients", "kinds", "driver-clients", "warmup-ms", "duration-ms", "pause-ms",
                "targets", "max-pool-size", "backend-threads", "sluice-jar", "proxy-jvm-opts", "sluice-extra-opts",
                "logs", "out", "prewarm-ms", "rounds", "sluice-alt-opts", "sluice-alt-jar");
        int rounds = a.integer("rounds", 1);
        List<Integer> clients = a.integers("clients", "1,16,64,256");
        List<Integer> driverClients = a.integers("driver-clients", "1,16");
        // HAProxy joins by default when it is installed (Debian's haproxy package)
        // a second Sluice with other options (say -Dsluice.transport=io_uring), measured in the same run
        // or the same options from another jar (the build before a change), in the same run
        String altOpts = a.string("sluice-alt-opts", "");
        String altJar = a.string("sluice-alt-jar", "");
        boolean withAlt = !altOpts.isBlank() || !altJar.isBlank();
        List<String> targets = a.strings("targets", (Haproxy.binary() != null ? "direct,relay,haproxy,sluice"
                : "direct,relay,sluice") + (withAlt ? ",sluice-alt" : ""));
        long warmup = a.integer("warmup-ms", 3000);
        long duration = a.integer("duration-ms", 10_000);
        long pause = a.integer("pause-ms", 1000);
        int maxPoolSize = a.integer("max-pool-size", 100);
        Path logs = Path.of(a.string("logs", "target/bench-logs"));
        List<String> jvm = ChildProcess.options(a.string("proxy-jvm-opts", Launch.SLUICE_JVM_OPTS));
        List<String> sluiceJvm = new ArrayList<>(jvm);
        sluiceJvm.addAll(ChildProcess.options(a.string("sluice-extra-opts", "")));
        List<ClientKind> kinds = new ArrayList<>();
        for (String k : a.strings("kinds", "raw,driver")) {
            kinds.add(ClientKind.parse(k));
        }
        Report report = new Report(a.string("proxy-jvm-opts", Launch.SLUICE_JVM_OPTS)
                + (rounds > 1 ? "; " + rounds + " rounds per cell, targets interleaved, medians" : ""), warmup, duration, maxPoolSize);
        Path jar = Path.of(a.string("sluice-jar", "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar"));
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, a.integer("backend-threads", 1));
             ChildProcess relay = Launch.relay(mongod.address(), jvm, logs.resolve("relay.log"));
             Launch.Sluice sluice = Launch.sluice(jar, upstream(mongod, maxPoolSize), sluiceJvm, logs.resolve("sluice.log"));
             Launch.Sluice alt = targets.contains("sluice-alt") ? Launch.sluice(altJar.isBlank() ? jar : Path.of(altJar),
                     upstream(mongod, maxPoolSize),
                     withAll(sluiceJvm, ChildProcess.options(altOpts)), logs.resolve("sluice-alt.log")) : null;
             Haproxy.Started haproxy = targets.contains("haproxy") ? Haproxy.start(mongod.address(), logs) : null) {
            Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
            Map<String, Long> pids = new LinkedHashMap<>();
            addresses.put("direct", mongod.address());
            pids.put("direct", ProcessHandle.current().pid());
            addresses.put("relay", Launch.hostPort(relay));
            pids.put("relay", relay.pid());
            addresses.put("sluice", sluice.mongo());
            pids.put("sluice", sluice.process().pid());
            if (alt != null) {
                addresses.put("sluice-alt", alt.mongo());
                pids.put("sluice-alt", alt.process().pid());
                System.err.printf("[bench] sluice-alt %s (pid %d, extra options %s, jar %s)%n", alt.mongo(),
                        alt.process().pid(), altOpts, altJar.isBlank() ? jar : altJar);
            }
            if (haproxy != null) {
                addresses.put("haproxy", haproxy.address());
                pids.put("haproxy", haproxy.process().pid());
                System.err.printf("[bench] haproxy %s (pid %d)%n", haproxy.address(), haproxy.process().pid());
            }
            System.err.printf("[bench] fastmongod %s, relay %s (pid %d), sluice %s (pid %d)%n", mongod.address(),
                    addresses.get("relay"), relay.pid(), sluice.mongo(), sluice.process().pid());
            long prewarm = a.integer("prewarm-ms", 20_000); // past the JIT's tail: Sluice's C2 was still compiling 13 s into a load
            for (String target : targets) {
                if (prewarm > 0 && !"direct".equals(target)) {
                    // then one client: the compiler's work for the one-client shape of the request path (C2 took
                    // 5 % of Sluice's CPU in the first 10 s of one client after 16) is not the cell's
                    System.err.println("[bench] pre-warming " + target + " for " + prewarm + " ms (16 raw clients), then "
                            + prewarm / 2 + " ms (1 raw client)");
                    LoadGenerator.run(target, addresses.get(target), ClientKind.RAW, 16, 0, prewarm);
                    LoadGenerator.run(target, addresses.get(target), ClientKind.RAW, 1, 0, prewarm / 2);
                }
            }
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            try {
                for (ClientKind kind : kinds) {
                    for (int n : kind == ClientKind.DRIVER ? driverClients : clients) {
                        Map<String, List<CellResult>> byTarget = new LinkedHashMap<>();
                        for (int round = 0; round < rounds; round++) {
                            for (String target : targets) {
                                AtomicLongArray cpu = new AtomicLongArray(4);
                                long pid = pids.get(target);
                                Consumer<Window> onOpen = w -> sampleCpu(sampler, pid, w, cpu);
                                CellResult r = LoadGenerator.run(target, addresses.get(target), kind, n, warmup, duration,
                                        onOpen);
                                for (int i = 0; i < 200 && cpu.get(2) == 0; i++) {
                                    Thread.sleep(10);
                                }
                                if (!"direct".equals(target) && cpu.get(0) >= 0 && cpu.get(2) > 0 && r.ops() > 0) {
                                    r = r.withTargetCpu((cpu.get(2) - cpu.get(0)) * 1000.0 / r.ops(),
                                            (cpu.get(3) - cpu.get(1)) * 1000.0 / r.ops());
                                }
                                System.err.println("[bench] " + (rounds > 1 ? "round " + (round + 1) + " " : "") + r);
                                byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(r);
                                Thread.sleep(pause);
                            }
                        }
                        for (List<CellResult> cells : byTarget.values()) {
                            report.add(CellResult.median(cells));
                        }
                    }
                }
            } finally {
                sampler.shutdownNow();
            }
            report.upstream(sluice.get("/api/pools"), mongod.counters());
        }
        String md = report.markdown(kinds, targets);
        System.out.println(md);
        Path out = Path.of(a.string("out", "target/proxy-bench.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.err.println("[bench] report written to " + out.toAbsolutePath());
    }

    /** Samples the process's CPU time at the window's start and end (into cpu[0..1] and cpu[2..3]). */
    private static String upstream(FastMongod mongod, int maxPoolSize) {
        return "mongodb://127.0.0.1:" + mongod.port() + "/?maxPoolSize=" + maxPoolSize;
    }

    private static List<String> withAll(List<String> first, List<String> more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(more);
        return all;
    }

    private static void sampleCpu(ScheduledExecutorService sampler, long pid, Window w, AtomicLongArray cpu) {
        long now = System.nanoTime();
        sampler.schedule(() -> sample(pid, cpu, 0), Math.max(0, w.start() - now), TimeUnit.NANOSECONDS);
        sampler.schedule(() -> sample(pid, cpu, 2), Math.max(0, w.end() - now), TimeUnit.NANOSECONDS);
    }

    /** Stores [user+system, system] milliseconds at cpu[at], cpu[at + 1]. */
    private static void sample(long pid, AtomicLongArray cpu, int at) {
        long[] us = ProcCpu.userSystem(pid);
        cpu.set(at + 1, us[1]);
        cpu.set(at, us[0] < 0 ? -1 : us[0] + us[1]);
    }
}

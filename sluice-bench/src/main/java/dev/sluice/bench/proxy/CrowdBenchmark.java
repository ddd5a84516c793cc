package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A crowd: many clients at once, each doing finds in a loop with one in flight, through Sluice with a small
 * upstream pool ({@code maxPoolSize=8} by default), for a series of client counts in one run. Measures throughput,
 * latency percentiles and how fairly Sluice's wait queue shares the pool: the distribution of operations per client
 * (Jain's index, clients with none). FastMongod runs in this JVM, Sluice in a child JVM; the clients are
 * {@link NioClient}s on {@code --loops} event loops, opened at most {@code --concurrency} at a time. Bounded: each
 * count stops after its warm-up and window (plus 60 s for stragglers); setup stops at {@code --setup-timeout-ms}.
 * Needs about one descriptor per client in this JVM and in Sluice's: raise {@code ulimit -n} first.
 *
 * <pre>ulimit -n 20000; java -Xss512k -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.CrowdBenchmark \
 *     [--clients 16,64,256,1000,4000,10000] [--max-pool-size 8] [--out target/crowd.md]</pre>
 */
public final class CrowdBenchmark {
    static final String USAGE = "CrowdBenchmark [--clients 16,64,256,1000,4000,10000] [--max-pool-size 8] "
            + "[--warmup-ms 5000] [--duration-ms 10000] [--pause-ms 2000] [--prewarm-ms 5000] [--loops 1] "
            + "[--concurrency 500] [--setup-timeout-ms 120000] [--backend-threads 1] "
            + "[--rounds 1 (the client counts run again in order; throughput compared by medians)] "
            + "[--sluice-jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar] "
            + "[--sluice-jvm-opts '-XX:+UseSerialGC -Xss512k -Xmn32m'] [--logs target/bench-logs] [--out target/crowd.md]";

    private CrowdBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, USAGE, "clients", "max-pool-size", "warmup-ms", "duration-ms", "pause-ms", "prewarm-ms",
                "loops", "concurrency", "setup-timeout-ms", "backend-threads", "sluice-jar", "sluice-jvm-opts", "logs",
                "out", "rounds");
        List<Integer> counts = a.integers("clients", "16,64,256,1000,4000,10000");
        int maxPoolSize = a.integer("max-pool-size", 8);
        long warmup = a.integer("warmup-ms", 5000);
        long duration = a.integer("duration-ms", 10_000);
        long pause = a.integer("pause-ms", 2000);
        int loops = a.integer("loops", 1);
        int concurrency = a.integer("concurrency", 500);
        int rounds = a.integer("rounds", 1);
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds must be 1 to 10, got " + rounds);
        }
        long setupTimeout = a.integer("setup-timeout-ms", 120_000);
        String jvmOpts = a.string("sluice-jvm-opts", Launch.SLUICE_JVM_OPTS);
        Path logs = Path.of(a.string("logs", "target/bench-logs"));
        CrowdReport report = new CrowdReport(jvmOpts, warmup, duration, maxPoolSize, loops, concurrency);
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, a.integer("backend-threads", 1));
             Launch.Sluice sluice = Launch.sluice(Path.of(a.string("sluice-jar",
                             "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar")),
                     "mongodb://127.0.0.1:" + mongod.port() + "/?maxPoolSize=" + maxPoolSize,
                     ChildProcess.options(jvmOpts), logs.resolve("sluice-crowd.log"))) {
            System.err.printf("[crowd] fastmongod %s, sluice %s (pid %d)%n", mongod.address(), sluice.mongo(),
                    sluice.process().pid());
            long prewarm = a.integer("prewarm-ms", 5000);
            if (prewarm > 0) {
                System.err.println("[crowd] pre-warming Sluice for " + prewarm + " ms (64 nio clients)");
                Crowd.run(sluice.mongo(), sluice.process().pid(), 64, loops, concurrency, 0, prewarm, setupTimeout);
            }
            for (int round = 1; round <= rounds; round++) {
                for (int n : counts) {
                    long timeouts0 = Launch.jsonNumber(sluice.get("/api/pools"), "waitQueueTimeouts");
                    CrowdCell cell = Crowd.run(sluice.mongo(), sluice.process().pid(), n, loops, concurrency, warmup,
                            duration, setupTimeout);
                    long timeouts1 = Launch.jsonNumber(sluice.get("/api/pools"), "waitQueueTimeouts");
                    cell = cell.withWaitQueueTimeouts(timeouts1 - timeouts0);
                    System.err.println("[crowd] round " + round + "/" + rounds + ": " + cell);
                    report.add(round, cell);
                    Thread.sleep(pause);
                }
            }
            report.upstream(sluice.get("/api/pools"), mongod.counters());
        }
        String md = report.markdown();
        System.out.println(md);
        Path out = Path.of(a.string("out", "target/crowd.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.err.println("[crowd] report written to " + out.toAbsolutePath());
    }
}

package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Seed 002's serverless case: a new client's time from {@code MongoClient} creation to its first result,
 * directly against a cluster {@code --rtt-ms} away ({@link DelayRelay}) and through a local Sluice whose pool to
 * that cluster is warm ({@code minPoolSize}). Each sample creates a client, runs one {@code find().first()} and
 * closes it. Modes: {@code plain} (FastMongod, no TLS nor authentication: {@link PlainColdStart}) and
 * {@code secure} (TLS and SCRAM-SHA-256 on both paths: {@link SecuredColdStart}, a fresh driver SSLContext per
 * client as in a new process) and {@code secure-shared} (the same with one SSLContext for all clients, as a warm
 * FaaS container that creates a client per invocation: TLS sessions can be resumed); each mode and round trip gets
 * its own set-up, and the report puts them side by side.
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.ColdStartBenchmark \
 *   --sluice-jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar [--modes plain,secure,secure-shared] \
 *   [--rtt-ms 0,2] [--samples 150] [--warmup 50] [--prewarm-sluice 4000] [--breakdown] [--out FILE]
 * </pre>
 */
public final class ColdStartBenchmark {
    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(arg(args, "--sluice-jar", "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar"));
        List<String> modes = List.of(arg(args, "--modes", "plain").split(","));
        List<Double> rtts = new ArrayList<>();
        for (String r : arg(args, "--rtt-ms", "2").split(",")) {
            rtts.add(Double.parseDouble(r));
        }
        int samples = Integer.parseInt(arg(args, "--samples", "200"));
        int warmup = Integer.parseInt(arg(args, "--warmup", "50"));
        int prewarm = Integer.parseInt(arg(args, "--prewarm-sluice", "4000"));
        boolean breakdown = List.of(args).contains("--breakdown");
        Path out = Path.of(arg(args, "--out", "target/proxy-bench/cold-start.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path logs = Path.of("target/bench-logs");
        Files.createDirectories(logs);
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Cold start, %d samples per path (interleaved) after %d warm-up "
                        + "samples each, Sluice pre-warmed by %d clients (SluicePrewarm), Java driver %s, "
                + "serverMonitoringMode=poll; %d CPUs.%n%n", samples, warmup, prewarm,
                com.mongodb.internal.build.MongoDriverVersion.VERSION, Runtime.getRuntime().availableProcessors()));
        report.append("| mode | cluster round trip | path | p50 ms | p90 ms | p99 ms | mean ms | Sluice / direct "
                + "(p50, p90, mean) | load average (start, end) |\n|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        StringBuilder details = new StringBuilder();
        for (String mode : modes) {
            for (double rtt : rtts) {
                double loadStart = loadAverage();
                try (ColdStartFixture f = switch (mode) {
                    case "plain" -> PlainColdStart.start(jar, rtt, logs);
                    case "secure" -> SecuredColdStart.start(jar, rtt, logs, false);
                    case "secure-shared" -> SecuredColdStart.start(jar, rtt, logs, true);
                    default -> throw new IllegalArgumentException("--modes: " + mode
                            + " (expected plain, secure or secure-shared)");
                }) {
                    prewarmSluice(f, prewarm);
                    // JIT warm-up of both paths (and Sluice's pool fills to minPoolSize meanwhile)
                    sample(f, f.direct(), warmup);
                    sample(f, f.through(), warmup);
                    List<Double> d = new ArrayList<>();
                    List<Double> s = new ArrayList<>();
                    CpuLedger dCpu = new CpuLedger(f.processes());
                    CpuLedger sCpu = new CpuLedger(f.processes());
                    for (int i = 0; i < samples; i++) { // interleaved, so that both see the same machine
                        d.add(dCpu.sample(() -> once(f, f.direct())));
                        s.add(sCpu.sample(() -> once(f, f.through())));
                    }
                    details.append(String.format(Locale.ROOT, "%n%s, %.0f ms: CPU ms per cold start (wall p50 direct "
                            + "%.1f, through %.1f): direct: %s; through Sluice: %s%n", f.mode(), rtt, pct(d, 50),
                            pct(s, 50), dCpu.perSample(), sCpu.perSample()));
                    String load = String.format(Locale.ROOT, "%.2f, %.2f", loadStart, loadAverage());
                    row(report, f.mode(), rtt, "direct", d, null, load);
                    row(report, f.mode(), rtt, "through Sluice", s, d, load);
                    details.append(poolFigures(f, rtt));
                    System.out.println("[bench] " + mode + " " + rtt + " ms done");
                    if (breakdown && f.secured()) {
                        details.append(ColdStartBreakdown.measure(f, rtt, samples));
                    }
                }
            }
        }
        report.append("\nTarget: Sluice / direct <= 0.4x.\n").append(details);
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("[bench] report written to " + out.toAbsolutePath());
    }

    /**
     * A proxy in production has served many clients before the one measured, as the cluster (FastMongod, in this
     * JVM) has served the samples of both paths: {@code n} clients through Sluice compile its handshake and
     * forwarding paths first. Without TLS they are raw connections ({@link SluicePrewarm}: hello, 10 finds, close),
     * which leave this JVM's driver as cold as before; with TLS and SCRAM they are cold starts of the driver (the
     * only client here that speaks both), which warm the driver for both paths alike.
     */
    static void prewarmSluice(ColdStartFixture f, int n) throws java.io.IOException {
        if (n <= 0) {
            return;
        }
        if (!f.secured()) {
            com.mongodb.ServerAddress sluice = new com.mongodb.ServerAddress(
                    new ConnectionString(f.through()).getHosts().get(0));
            SluicePrewarm.run(new java.net.InetSocketAddress(sluice.getHost(), sluice.getPort()), n, 5);
            return;
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            once(f, f.through());
            if ((i + 1) % 500 == 0 || i + 1 == n) {
                System.out.printf(Locale.ROOT, "[bench] %s: pre-warming Sluice, %d of %d cold starts (%.1f s)%n",
                        f.mode(), i + 1, n, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void sample(ColdStartFixture f, String uri, int n) {
        for (int i = 0; i < n; i++) {
            once(f, uri);
        }
    }

    /** The settings of a new client of {@code uri}, with a fresh SSLContext when the fixture speaks TLS. */
    static MongoClientSettings settings(ColdStartFixture f, String uri) {
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri
                + (uri.contains("?") ? "&" : "?") + "appName=cold-start&serverSelectionTimeoutMS=10000&serverMonitoringMode=poll"));
        if (f.secured()) {
            SSLContext context = f.tls().get();
            b.applyToSslSettings(s -> s.enabled(true).context(context));
        }
        return b.build();
    }

    /** One cold start: create, first find, close; milliseconds to the first result (settings built before). */
    static double once(ColdStartFixture f, String uri) {
        MongoClientSettings settings = settings(f, uri);
        long t0 = System.nanoTime();
        try (MongoClient client = MongoClients.create(settings)) {
            Document first = client.getDatabase("bench").getCollection("items").find().first();
            long t1 = System.nanoTime();
            if (first == null) {
                throw new IllegalStateException("no document from " + uri);
            }
            return (t1 - t0) / 1e6;
        }
    }

    /** Sluice's pools after the samples ({@code created} shows whether the clients' operations found them warm). */
    private static String poolFigures(ColdStartFixture f, double rtt) {
        try (MongoClient admin = MongoClients.create(settings(f, f.admin()))) {
            Document stats = admin.getDatabase("admin").runCommand(new Document("connPoolStats", 1));
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n%s, %.0f ms: Sluice's pools after the run: "
                    + "totalCreated %s", f.mode(), rtt, stats.get("totalCreated")));
            for (Document u : stats.getList("users", Document.class, List.of())) {
                Document pool = u.get("pool", Document.class);
                b.append(String.format(Locale.ROOT, "; user %s's pool: created %s, available %s, inUse %s", u.get("user"),
                        pool == null ? "?" : pool.get("created"), pool == null ? "?" : pool.get("available"),
                        pool == null ? "?" : pool.get("inUse")));
            }
            return b.append('\n').toString();
        }
    }

    private static void row(StringBuilder b, String mode, double rtt, String path, List<Double> v, List<Double> direct,
                            String load) {
        String ratio = direct == null ? "" : String.format(Locale.ROOT, "%.2fx, %.2fx, %.2fx", pct(v, 50) / pct(direct, 50),
                pct(v, 90) / pct(direct, 90), mean(v) / mean(direct));
        b.append(String.format(Locale.ROOT, "| %s | %.0f ms | %s | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", mode, rtt,
                path, pct(v, 50), pct(v, 90), pct(v, 99), mean(v), ratio, load));
    }

    static double pct(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}

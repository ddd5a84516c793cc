package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.FastMongod;
import org.bson.Document;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Seed 002's serverless case: a new client's time from {@code MongoClient} creation to its first result,
 * directly against a cluster {@code --rtt-ms} away ({@link DelayRelay} in front of FastMongod) and through a
 * local Sluice whose pool to that cluster is warm ({@code minPoolSize}). Each sample creates a client, runs
 * one {@code find().first()} and closes it. Without TLS and authentication (both paths alike).
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.ColdStartBenchmark \
 *   --sluice-jar sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar [--rtt-ms 2] [--samples 200] [--out FILE]
 * </pre>
 */
public final class ColdStartBenchmark {
    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(arg(args, "--sluice-jar", "sluice-server/target/sluice-server-0.1.0-SNAPSHOT-all.jar"));
        double rttMs = Double.parseDouble(arg(args, "--rtt-ms", "2"));
        int samples = Integer.parseInt(arg(args, "--samples", "200"));
        Path out = Path.of(arg(args, "--out", "target/proxy-bench/cold-start.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path logs = Path.of("target/bench-logs");
        Files.createDirectories(logs);
        double[] load = loadAverage();
        try (FastMongod mongod = FakeMongod.fast("127.0.0.1", 0, 1);
             DelayRelay cluster = DelayRelay.start(mongod.address(), (long) (rttMs * 1000));
             Launch.Sluice sluice = Launch.sluice(jar, "mongodb://127.0.0.1:" + cluster.address().getPort()
                     + "/?minPoolSize=4&maxPoolSize=20", List.of("-XX:+UseSerialGC", "-Xss512k"),
                     logs.resolve("sluice-cold-start.log"))) {
            String direct = "mongodb://127.0.0.1:" + cluster.address().getPort() + "/";
            String through = "mongodb://" + sluice.mongo().getHostString() + ":" + sluice.mongo().getPort() + "/";
            // JIT warm-up of both paths (and Sluice's pool fills to minPoolSize meanwhile)
            sample(direct, 50);
            sample(through, 50);
            List<Double> d = new ArrayList<>();
            List<Double> s = new ArrayList<>();
            for (int i = 0; i < samples; i++) { // interleaved, so that both see the same machine
                d.add(once(direct));
                s.add(once(through));
            }
            String report = report(rttMs, samples, load, loadAverage(), d, s);
            Files.writeString(out, report);
            System.out.println(report);
            System.out.println("[bench] report written to " + out.toAbsolutePath());
        }
    }

    private static void sample(String uri, int n) {
        for (int i = 0; i < n; i++) {
            once(uri);
        }
    }

    /** One cold start: create, first find, close; milliseconds to the first result. */
    private static double once(String uri) {
        long t0 = System.nanoTime();
        try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri + "?appName=cold-start&serverSelectionTimeoutMS=10000&serverMonitoringMode=poll"))
                .build())) {
            Document first = client.getDatabase("bench").getCollection("items").find().first();
            long t1 = System.nanoTime();
            if (first == null) {
                throw new IllegalStateException("no document from " + uri);
            }
            return (t1 - t0) / 1e6;
        }
    }

    private static String report(double rttMs, int samples, double[] loadStart, double[] loadEnd, List<Double> direct,
                                 List<Double> sluice) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Cold start, %d samples per path (interleaved), cluster %.1f ms away "
                        + "(DelayRelay), Java driver %s; load average %.2f at the start, %.2f at the end; %d CPUs.%n%n",
                samples, rttMs, com.mongodb.internal.build.MongoDriverVersion.VERSION, loadStart[0], loadEnd[0],
                Runtime.getRuntime().availableProcessors()));
        b.append("| path | p50 ms | p90 ms | p99 ms | mean ms |\n|---|---:|---:|---:|---:|\n");
        row(b, "direct (driver to the cluster)", direct);
        row(b, "through Sluice (local, warm pool)", sluice);
        b.append(String.format(Locale.ROOT, "%nSluice / direct: p50 %.2fx, p90 %.2fx, mean %.2fx (target <= 0.4x)%n",
                pct(sluice, 50) / pct(direct, 50), pct(sluice, 90) / pct(direct, 90), mean(sluice) / mean(direct)));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Double> v) {
        b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", name, pct(v, 50), pct(v, 90),
                pct(v, 99), mean(v)));
    }

    private static double pct(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN};
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

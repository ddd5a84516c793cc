package dev.sluice.bench.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Diagnostic of the secured cold start ({@link SecuredColdStart}): N cold starts through Sluice, then N direct
 * (not interleaved), each phase with the cluster's and the front's {@code /metrics} counters per cold start
 * (commands served, connections accepted, authentications, process CPU; the scrape itself counts 1/N), then N
 * more per path, interleaved, with the p50 time of each step from the driver's events ({@link ColdStartPhases}).
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.proxy.ColdStartTrace SLUICE_JAR RTT_MS N WARMUP
 * </pre>
 */
public final class ColdStartTrace {
    private ColdStartTrace() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        double rtt = Double.parseDouble(args[1]);
        int n = Integer.parseInt(args[2]);
        Path logs = Path.of("target/bench-logs");
        Files.createDirectories(logs);
        try (ColdStartFixture f = SecuredColdStart.start(jar, rtt, logs)) {
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                ColdStartBenchmark.once(f, f.through());
                ColdStartBenchmark.once(f, f.direct());
            }
            String[] urls = SecuredColdStart.httpOf(f);
            for (String path : new String[] {"through", "direct"}) {
                Map<String, Double> c0 = counts(urls[0]);
                Map<String, Double> f0 = counts(urls[1]);
                StringBuilder times = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    times.append(String.format(java.util.Locale.ROOT, "%.1f ",
                            ColdStartBenchmark.once(f, path.equals("through") ? f.through() : f.direct())));
                }
                Thread.sleep(500); // the last client's close (endSessions, connections) reaches both counters
                System.out.println("== " + path + " x" + n + ": " + times);
                diff("cluster", c0, counts(urls[0]), n);
                diff("front", f0, counts(urls[1]), n);
            }
            System.out.print(ColdStartPhases.interleaved(f, n, "", rtt));
        }
    }

    private static void diff(String who, Map<String, Double> a, Map<String, Double> b, int n) {
        b.forEach((k, v) -> {
            double d = v - a.getOrDefault(k, 0.0);
            if (d != 0) {
                System.out.printf("%s %s: %.2f per sample%n", who, k, d / n);
            }
        });
    }

    private static Map<String, Double> counts(String base) throws Exception {
        String auth = Base64.getEncoder().encodeToString(SecuredColdStart.svcBasic().getBytes());
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> m = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || !(line.contains("_count") || line.contains("_total"))) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return m;
    }
}

package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FastMongod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The Markdown report of a {@link ProxyBenchmark} run: one table per client kind, then the ratios. */
final class Report {
    private static final double MIN_THROUGHPUT_RATIO = 0.85;
    private static final double MAX_P99_RATIO = 1.2;

    private final List<CellResult> results = new ArrayList<>();
    private final String jvmOptions;
    private final long warmupMillis;
    private final long durationMillis;
    private final int maxPoolSize;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machineAtStart = machine();
    private String upstream = "";

    Report(String jvmOptions, long warmupMillis, long durationMillis, int maxPoolSize) {
        this.jvmOptions = jvmOptions;
        this.warmupMillis = warmupMillis;
        this.durationMillis = durationMillis;
        this.maxPoolSize = maxPoolSize;
    }

    void add(CellResult r) {
        results.add(r);
    }

    void upstream(String poolsJson, FastMongod.Counters counters) {
        upstream = String.format(Locale.ROOT, "Sluice's backend connections after the run (`GET /api/pools`): "
                        + "totalCreated %d, available %d (maxPoolSize %d). FastMongod saw %d connections in all "
                        + "(direct clients, relay and Sluice together), at most %d at once.%n",
                Launch.jsonNumber(poolsJson, "totalCreated"), Launch.jsonNumber(poolsJson, "totalAvailable"),
                maxPoolSize, counters.totalOpened(), counters.peak());
    }

    String markdown(List<ClientKind> kinds, List<String> targets) {
        StringBuilder b = new StringBuilder();
        b.append("Run of ").append(started).append(": ").append(machineAtStart).append('\n');
        b.append(String.format(Locale.ROOT, "Warm-up %d ms then %d ms measured per cell; proxies' JVM options `%s`; "
                + "Sluice upstream maxPoolSize=%d; each proxy pre-warmed (JIT) before the first cell. Latency in "
                + "microseconds; proxy CPU = user+system time of the proxy's process in the measured window / "
                + "operations.%n%n", warmupMillis, durationMillis,
                jvmOptions, maxPoolSize));
        for (ClientKind kind : kinds) {
            b.append("Client kind `").append(kind.label()).append("`\n\n");
            b.append("| clients | target | ops/s | p50 | p99 | p99.9 | proxy CPU µs/op (of which system) | errors |\n");
            b.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (CellResult r : results) {
                if (r.kind() == kind) {
                    b.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f | %s | %d |%n",
                            r.clients(), r.target(), r.opsPerSec(), r.p50us(), r.p99us(), r.p999us(),
                            r.targetCpuUsPerOp() < 0 ? "" : String.format(Locale.ROOT, "%.1f (%.1f)", r.targetCpuUsPerOp(),
                                    r.targetSysUsPerOp()),
                            r.errors()));
                }
            }
            b.append('\n');
            for (String sluice : targets) {
                if (!sluice.startsWith("sluice")) {
                    continue;
                }
                if (targets.containsAll(List.of("direct", "relay"))) {
                    ratios(b, kind, sluice);
                }
                if (targets.contains("haproxy")) {
                    haproxyRatios(b, kind, sluice);
                }
            }
        }
        b.append(upstream);
        b.append("Machine at the end: ").append(machine()).append('\n');
        return b.toString();
    }

    private void ratios(StringBuilder b, ClientKind kind, String sluice) {
        CellResult oneDirect = find(kind, "direct", 1);
        double rtt = oneDirect == null ? Double.NaN : oneDirect.p50us();
        b.append(String.format(Locale.ROOT, "%s against the targets (`%s`; one loopback round trip = direct p50 at "
                + "1 client = %.0f µs)%n%n", label(sluice), kind.label(), rtt));
        b.append("| clients | Sluice/relay ops/s (>= 0.85) | Sluice/relay p99 (<= 1.2) | Sluice p50 - direct p50 "
                + "(<= 1 RTT) | relay p50 - direct p50 | Sluice/relay CPU per op |\n");
        b.append("|---:|---:|---:|---:|---:|---:|\n");
        Set<Integer> counts = new LinkedHashSet<>();
        for (CellResult r : results) {
            if (r.kind() == kind) {
                counts.add(r.clients());
            }
        }
        for (int n : counts) {
            CellResult d = find(kind, "direct", n);
            CellResult relay = find(kind, "relay", n);
            CellResult s = find(kind, sluice, n);
            if (d == null || relay == null || s == null) {
                continue;
            }
            double tput = s.opsPerSec() / relay.opsPerSec();
            double p99 = s.p99us() / relay.p99us();
            double extra = s.p50us() - d.p50us();
            b.append(String.format(Locale.ROOT, "| %d | %.2f %s | %.2f %s | %.0f µs %s | %.0f µs | %s |%n", n, tput,
                    verdict(tput >= MIN_THROUGHPUT_RATIO), p99, verdict(p99 <= MAX_P99_RATIO), extra,
                    verdict(extra <= rtt), relay.p50us() - d.p50us(),
                    s.targetCpuUsPerOp() > 0 && relay.targetCpuUsPerOp() > 0
                            ? String.format(Locale.ROOT, "%.1fx", s.targetCpuUsPerOp() / relay.targetCpuUsPerOp()) : ""));
        }
        b.append('\n');
    }

    /** Sluice against HAProxy (TCP mode): throughput, p99 and proxy CPU per operation, Sluice / HAProxy. */
    private void haproxyRatios(StringBuilder b, ClientKind kind, String sluice) {
        b.append(String.format(Locale.ROOT, "%s against HAProxy (`%s`, Sluice / HAProxy)%n%n", label(sluice), kind.label()));
        b.append("| clients | ops/s | p99 | CPU per op | HAProxy ops/s, p99, CPU µs/op | Sluice ops/s, p99, CPU µs/op |\n");
        b.append("|---:|---:|---:|---:|---|---|\n");
        for (int n : clientCounts(kind)) {
            CellResult h = find(kind, "haproxy", n);
            CellResult s = find(kind, sluice, n);
            if (h == null || s == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %s | %.0f, %.0f, %.1f | %.0f, %.0f, %.1f |%n", n,
                    s.opsPerSec() / h.opsPerSec(), s.p99us() / h.p99us(),
                    s.targetCpuUsPerOp() > 0 && h.targetCpuUsPerOp() > 0
                            ? String.format(Locale.ROOT, "%.2f", s.targetCpuUsPerOp() / h.targetCpuUsPerOp()) : "",
                    h.opsPerSec(), h.p99us(), h.targetCpuUsPerOp(), s.opsPerSec(), s.p99us(), s.targetCpuUsPerOp()));
        }
        b.append('\n');
    }

    /** "Sluice", or "Sluice (`sluice-alt`)" for a second Sluice of the same run. */
    private static String label(String sluice) {
        return "sluice".equals(sluice) ? "Sluice" : "Sluice (`" + sluice + "`)";
    }

    private Set<Integer> clientCounts(ClientKind kind) {
        Set<Integer> counts = new LinkedHashSet<>();
        for (CellResult r : results) {
            if (r.kind() == kind) {
                counts.add(r.clients());
            }
        }
        return counts;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private CellResult find(ClientKind kind, String target, int clients) {
        for (CellResult r : results) {
            if (r.kind() == kind && r.target().equals(target) && r.clients() == clients) {
                return r;
            }
        }
        return null;
    }

    /** nproc, Java and kernel versions. */
    static String machine() {
        String kernel;
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            kernel = System.getProperty("os.version");
        }
        String load;
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            load = l[0] + " " + l[1] + " " + l[2];
        } catch (IOException | RuntimeException e) {
            load = "?";
        }
        return String.format(Locale.ROOT, "%d CPUs (nproc), Java %s (%s), Linux %s, load average %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), kernel, load);
    }
}

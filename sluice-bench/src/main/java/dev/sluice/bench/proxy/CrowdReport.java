package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FastMongod;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report of a {@link CrowdBenchmark} run: throughput and latency per client count, the operations per
 * client, then the ratios against the targets (throughput at the largest count at least 0.9x the best; p99 at most
 * 2x p50; the longest operation at most 10x p50).
 */
final class CrowdReport {
    private static final double MIN_THROUGHPUT_RATIO = 0.9;
    private static final double MAX_P99_RATIO = 2;
    private static final double MAX_WORST_RATIO = 10;

    private final List<CrowdCell> cells = new ArrayList<>();
    private final String header;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machineAtStart = Report.machine();
    private String upstream = "";

    CrowdReport(String jvmOptions, long warmupMillis, long durationMillis, int maxPoolSize, int loops,
                int concurrency) {
        header = String.format(Locale.ROOT, "Warm-up %d ms then %d ms measured per client count; Sluice's JVM `%s`, "
                        + "upstream FastMongod (in the generator's JVM) with `maxPoolSize=%d`; clients: nio (one find "
                        + "in flight each) on %d event loop(s), connections opened at most %d at a time. Latency in "
                        + "microseconds; max = longest operation inside the window, worst = also counting operations "
                        + "started in the window that ended after it; CPU in cores (CPU s per s of window) of Sluice's "
                        + "process and of the generator's (clients and FastMongod).%n%n", warmupMillis, durationMillis, jvmOptions,
                maxPoolSize, loops, concurrency);
    }

    void add(CrowdCell cell) {
        cells.add(cell);
    }

    void upstream(String poolsJson, FastMongod.Counters counters) {
        upstream = String.format(Locale.ROOT, "Sluice's backend connections after the run (`GET /api/pools`): "
                        + "totalCreated %d. FastMongod saw %d connections in all, at most %d at once.%n%n",
                Launch.jsonNumber(poolsJson, "totalCreated"), counters.totalOpened(), counters.peak());
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Run of ").append(started).append(": ").append(machineAtStart).append("\n\n").append(header);
        b.append("| clients | set-up s | ops/s | p50 | p99 | p99.9 | max | worst | p99/p50 | max/p50 | Sluice CPU "
                + "| generator CPU | errors | wait-queue timeouts |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CrowdCell c : cells) {
            b.append(String.format(Locale.ROOT, "| %d | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f "
                            + "| %.2f | %.2f | %d%s | %d |%n", c.clients(), c.setupSeconds(), c.opsPerSec(), c.p50us(),
                    c.p99us(), c.p999us(), c.maxUs(), c.worstUs(), c.p99us() / c.p50us(), c.maxUs() / c.p50us(),
                    c.sluiceCores(), c.generatorCores(), c.errors(),
                    c.firstError() == null ? "" : " (" + c.firstError() + ")", c.waitQueueTimeouts()));
        }
        b.append("\nOperations per client in the window (Jain's index: 1 = all equal)\n\n");
        b.append("| clients | mean | min | p1 | p10 | p50 | p90 | p99 | max | max/min | Jain | clients with 0 ops |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CrowdCell c : cells) {
            OpsSpread s = c.spread();
            b.append(String.format(Locale.ROOT, "| %d | %.1f | %d | %d | %d | %d | %d | %d | %d | %s | %.4f | %d |%n",
                    c.clients(), s.mean(), s.min(), s.p1(), s.p10(), s.p50(), s.p90(), s.p99(), s.max(),
                    s.min() == 0 ? "inf" : String.format(Locale.ROOT, "%.2f", (double) s.max() / s.min()), s.jain(),
                    s.zero()));
        }
        b.append("\nOperations per client, clients opened in even / odd order apart (Sluice's accept hands connections "
                + "to its event loops round-robin: with 2 loops each half is one loop's, one lane's)\n\n");
        b.append("| clients | even: mean, min, p50, max | odd: mean, min, p50, max | mean even / odd |\n");
        b.append("|---:|---|---|---:|\n");
        for (CrowdCell c : cells) {
            OpsSpread e = c.even();
            OpsSpread o = c.odd();
            b.append(String.format(Locale.ROOT, "| %d | %.1f, %d, %d, %d | %.1f, %d, %d, %d | %.2f |%n", c.clients(),
                    e.mean(), e.min(), e.p50(), e.max(), o.mean(), o.min(), o.p50(), o.max(), e.mean() / o.mean()));
        }
        ratios(b);
        b.append('\n').append(upstream);
        b.append("Machine at the end: ").append(Report.machine()).append('\n');
        return b.toString();
    }

    private void ratios(StringBuilder b) {
        if (cells.isEmpty()) {
            return;
        }
        CrowdCell best = cells.get(0);
        for (CrowdCell c : cells) {
            if (c.opsPerSec() > best.opsPerSec()) {
                best = c;
            }
        }
        CrowdCell last = cells.get(cells.size() - 1);
        double tput = last.opsPerSec() / best.opsPerSec();
        double p99 = last.p99us() / last.p50us();
        double worst = last.maxUs() / last.p50us();
        double worstLate = last.worstUs() / last.p50us();
        b.append(String.format(Locale.ROOT, "%nAgainst the targets at %d clients%n%n| target | figure | verdict |%n"
                + "|---|---:|---|%n", last.clients()));
        b.append(String.format(Locale.ROOT, "| throughput >= 0.9x the best count's (%d clients, %.0f ops/s) | %.2fx | "
                + "%s |%n", best.clients(), best.opsPerSec(), tput, verdict(tput >= MIN_THROUGHPUT_RATIO)));
        b.append(String.format(Locale.ROOT, "| p99 <= 2x p50 | %.2fx | %s |%n", p99, verdict(p99 <= MAX_P99_RATIO)));
        b.append(String.format(Locale.ROOT, "| max <= 10x p50 (no client starved) | %.1fx (worst incl. late ones "
                + "%.1fx) | %s |%n", worst, worstLate, verdict(Math.max(worst, worstLate) <= MAX_WORST_RATIO)));
        b.append(String.format(Locale.ROOT, "| clients with 0 ops | %d of %d | %s |%n", last.spread().zero(),
                last.clients(), verdict(last.spread().zero() == 0)));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}

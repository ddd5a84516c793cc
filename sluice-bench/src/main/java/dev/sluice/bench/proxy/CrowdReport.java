package dev.sluice.bench.proxy;

import dev.sluice.server.testing.FastMongod;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown report of a {@link CrowdBenchmark} run: throughput and latency per client count, the operations per
 * client, then the ratios against the targets (throughput at the largest count at least 0.9x the best; p99 at most
 * 2x p50; the longest operation at most 10x p50). With several rounds (the counts run again in order, so a noisy
 * moment hits one round of each) every cell is listed with its round, throughput is compared by each count's median,
 * and the latency targets are judged on the largest count's worst round.
 */
final class CrowdReport {
    private static final double MIN_THROUGHPUT_RATIO = 0.9;
    private static final double MAX_P99_RATIO = 2;
    private static final double MAX_WORST_RATIO = 10;

    private final List<CrowdCell> cells = new ArrayList<>();
    private final List<Integer> rounds = new ArrayList<>();
    private final String header;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String machineAtStart = Report.machine();
    private String upstream = "";

    CrowdReport(String jvmOptions, long warmupMillis, long durationMillis, int maxPoolSize, int loops,
                int concurrency) {
        header = String.format(Locale.ROOT, "Warm-up %d ms then %d ms measured per client count; Sluice's JVM `%s`, "
                        + "upstream FastMongod (in the generator's JVM) with `maxPoolSize=%d`; clients: nio (one find "
                        + "in flight each) on %d event loop(s) of Netty's %s transport, connections opened at most %d at a time. Latency in "
                        + "microseconds; max = longest operation inside the window, worst = also counting operations "
                        + "started in the window that ended after it; CPU in cores (CPU s per s of window) of Sluice's "
                        + "process and of the generator's (clients and FastMongod).%n%n", warmupMillis, durationMillis, jvmOptions,
                maxPoolSize, loops, Crowd.TRANSPORT.name(), concurrency);
    }

    void add(int round, CrowdCell cell) {
        rounds.add(round);
        cells.add(cell);
    }

    private boolean severalRounds() {
        return rounds.stream().anyMatch(r -> r > 1);
    }

    /** "N" or "N (round R)" when the run had several rounds. */
    private String label(int i) {
        return severalRounds() ? cells.get(i).clients() + " (round " + rounds.get(i) + ")"
                : String.valueOf(cells.get(i).clients());
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
        for (int i = 0; i < cells.size(); i++) {
            CrowdCell c = cells.get(i);
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f "
                            + "| %.2f | %.2f | %d%s | %d |%n", label(i), c.setupSeconds(), c.opsPerSec(), c.p50us(),
                    c.p99us(), c.p999us(), c.maxUs(), c.worstUs(), c.p99us() / c.p50us(), c.maxUs() / c.p50us(),
                    c.sluiceCores(), c.generatorCores(), c.errors(),
                    c.firstError() == null ? "" : " (" + c.firstError() + ")", c.waitQueueTimeouts()));
        }
        b.append("\nOperations per client in the window (Jain's index: 1 = all equal)\n\n");
        b.append("| clients | mean | min | p1 | p10 | p50 | p90 | p99 | max | max/min | Jain | clients with 0 ops |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < cells.size(); i++) {
            OpsSpread s = cells.get(i).spread();
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %d | %d | %d | %d | %d | %d | %s | %.4f | %d |%n",
                    label(i), s.mean(), s.min(), s.p1(), s.p10(), s.p50(), s.p90(), s.p99(), s.max(),
                    s.min() == 0 ? "inf" : String.format(Locale.ROOT, "%.2f", (double) s.max() / s.min()), s.jain(),
                    s.zero()));
        }
        b.append("\nOperations per client, clients opened in even / odd order apart (Sluice's accept hands connections "
                + "to its event loops round-robin: with 2 loops each half is one loop's, one lane's)\n\n");
        b.append("| clients | even: mean, min, p50, max | odd: mean, min, p50, max | mean even / odd |\n");
        b.append("|---:|---|---|---:|\n");
        for (int i = 0; i < cells.size(); i++) {
            OpsSpread e = cells.get(i).even();
            OpsSpread o = cells.get(i).odd();
            b.append(String.format(Locale.ROOT, "| %s | %.1f, %d, %d, %d | %.1f, %d, %d, %d | %.2f |%n", label(i),
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
        Map<Integer, List<CrowdCell>> byCount = new LinkedHashMap<>();
        for (CrowdCell c : cells) {
            byCount.computeIfAbsent(c.clients(), k -> new ArrayList<>()).add(c);
        }
        if (severalRounds()) {
            b.append("\nThroughput per client count across rounds (ops/s)\n\n| clients | each round | median |\n"
                    + "|---:|---|---:|\n");
            byCount.forEach((n, list) -> b.append(String.format(Locale.ROOT, "| %d | %s | %.0f |%n", n,
                    String.join(", ", list.stream().map(c -> String.format(Locale.ROOT, "%.0f", c.opsPerSec()))
                            .toList()), medianOps(list))));
        }
        int bestCount = byCount.keySet().iterator().next();
        for (Map.Entry<Integer, List<CrowdCell>> e : byCount.entrySet()) {
            if (medianOps(e.getValue()) > medianOps(byCount.get(bestCount))) {
                bestCount = e.getKey();
            }
        }
        int lastCount = cells.get(cells.size() - 1).clients();
        List<CrowdCell> last = byCount.get(lastCount);
        double bestOps = medianOps(byCount.get(bestCount));
        double tput = medianOps(last) / bestOps;
        double p99 = last.stream().mapToDouble(c -> c.p99us() / c.p50us()).max().orElseThrow();
        double worst = last.stream().mapToDouble(c -> c.maxUs() / c.p50us()).max().orElseThrow();
        double worstLate = last.stream().mapToDouble(c -> c.worstUs() / c.p50us()).max().orElseThrow();
        long zero = last.stream().mapToLong(c -> c.spread().zero()).max().orElseThrow();
        String of = last.size() > 1 ? " (median of " + last.size() + " rounds; latency: the worst round)" : "";
        b.append(String.format(Locale.ROOT, "%nAgainst the targets at %d clients%s%n%n| target | figure | verdict |%n"
                + "|---|---:|---|%n", lastCount, of));
        b.append(String.format(Locale.ROOT, "| throughput >= 0.9x the best count's (%d clients, %.0f ops/s) | %.2fx | "
                + "%s |%n", bestCount, bestOps, tput, verdict(tput >= MIN_THROUGHPUT_RATIO)));
        b.append(String.format(Locale.ROOT, "| p99 <= 2x p50 | %.2fx | %s |%n", p99, verdict(p99 <= MAX_P99_RATIO)));
        b.append(String.format(Locale.ROOT, "| max <= 10x p50 (no client starved) | %.1fx (worst incl. late ones "
                + "%.1fx) | %s |%n", worst, worstLate, verdict(Math.max(worst, worstLate) <= MAX_WORST_RATIO)));
        b.append(String.format(Locale.ROOT, "| clients with 0 ops | %d of %d | %s |%n", zero, lastCount,
                verdict(zero == 0)));
    }

    /** The median of the cells' throughput (the mean of the two middle ones for an even count). */
    static double medianOps(List<CrowdCell> list) {
        double[] ops = list.stream().mapToDouble(CrowdCell::opsPerSec).sorted().toArray();
        int n = ops.length;
        return n % 2 == 1 ? ops[n / 2] : (ops[n / 2 - 1] + ops[n / 2]) / 2;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }
}

package dev.sluice.bench.proxy;

import org.HdrHistogram.Histogram;

/**
 * The figures of one cell (target x client kind x client count): operations recorded in the window,
 * throughput, latency percentiles (microseconds) and errors; plus, when known, the CPU the target's
 * process used per operation (microseconds of user+system time, -1 when not measured).
 */
record CellResult(String target, ClientKind kind, int clients, long ops, double opsPerSec, double p50us,
                  double p99us, double p999us, long errors, String firstError, double targetCpuUsPerOp,
                  double targetSysUsPerOp) {

    static CellResult of(String target, ClientKind kind, int clients, Histogram h, double seconds, long errors,
                         String firstError) {
        return new CellResult(target, kind, clients, h.getTotalCount(), h.getTotalCount() / seconds,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                errors, firstError, -1, -1);
    }

    /**
     * The cell that stands for several rounds of the same cell: each figure is the median of the rounds'
     * (operations and errors summed). Rounds are interleaved with the other targets', so a noisy moment of a
     * shared machine moves one round of each rather than every round of one.
     */
    static CellResult median(java.util.List<CellResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        CellResult first = rounds.get(0);
        long ops = 0;
        long errors = 0;
        String firstError = null;
        for (CellResult r : rounds) {
            ops += r.ops;
            errors += r.errors;
            firstError = firstError == null ? r.firstError : firstError;
        }
        return new CellResult(first.target, first.kind, first.clients, ops,
                median(rounds, CellResult::opsPerSec), median(rounds, CellResult::p50us), median(rounds, CellResult::p99us),
                median(rounds, CellResult::p999us), errors, firstError, median(rounds, CellResult::targetCpuUsPerOp),
                median(rounds, CellResult::targetSysUsPerOp));
    }

    private static double median(java.util.List<CellResult> rounds, java.util.function.ToDoubleFunction<CellResult> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    CellResult withTargetCpu(double usPerOp, double sysUsPerOp) {
        return new CellResult(target, kind, clients, ops, opsPerSec, p50us, p99us, p999us, errors, firstError, usPerOp,
                sysUsPerOp);
    }

    @Override
    public String toString() {
        return String.format("%-7s %-6s %4d clients: %9.0f ops/s  p50 %7.1f us  p99 %7.1f us  p99.9 %8.1f us%s%s",
                target, kind.label(), clients, opsPerSec, p50us, p99us, p999us,
                targetCpuUsPerOp < 0 ? "" : String.format("  cpu %.1f us/op (sys %.1f)", targetCpuUsPerOp, targetSysUsPerOp),
                errors == 0 ? "" : "  errors " + errors + " (" + firstError + ")");
    }
}

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

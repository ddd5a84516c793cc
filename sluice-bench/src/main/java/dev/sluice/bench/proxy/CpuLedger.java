package dev.sluice.bench.proxy;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time spent during one path's samples, per process: this JVM (the driver, plus {@link DelayRelay} and, in
 * plain mode, FastMongod) and each child (Sluice JVMs, from /proc at 10 ms resolution; summed over many samples
 * the mean per sample is still meaningful).
 */
final class CpuLedger {
    private final Map<String, Long> children;
    private final Map<String, Long> totalMillis = new LinkedHashMap<>();
    private long selfNanos;
    private int samples;

    /** @param children name to pid of each child process to account */
    CpuLedger(Map<String, Long> children) {
        this.children = children;
        children.keySet().forEach(k -> totalMillis.put(k, 0L));
    }

    /** Runs one sample and adds the CPU every process used meanwhile. */
    double sample(java.util.function.DoubleSupplier one) {
        long self0 = selfCpuNanos();
        Map<String, Long> before = new LinkedHashMap<>();
        children.forEach((name, pid) -> before.put(name, ProcCpu.millis(pid)));
        double result = one.getAsDouble();
        selfNanos += selfCpuNanos() - self0;
        children.forEach((name, pid) -> totalMillis.merge(name, ProcCpu.millis(pid) - before.get(name), Long::sum));
        samples++;
        return result;
    }

    /** "client JVM 12.3 ms, front Sluice 4.5 ms, ..." per sample. */
    String perSample() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "this JVM (driver + relay) %.1f",
                selfNanos / 1e6 / samples));
        totalMillis.forEach((name, ms) -> b.append(String.format(Locale.ROOT, ", %s %.1f", name, (double) ms / samples)));
        return b.toString();
    }

    private static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

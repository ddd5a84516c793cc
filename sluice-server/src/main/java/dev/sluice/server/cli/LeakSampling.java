package dev.sluice.server.cli;

/**
 * Netty's leak detector as Sluice runs it: a stack trace for one buffer in {@value #INTERVAL} instead of one in 128
 * (Netty's default). At 128 the traced buffers and every slice of them cost about 90 B of garbage and 0.4 µs of CPU
 * per forwarded operation (BENCHMARKS.md, "Allocation on the forwarding path"); leaks are still reported, after more
 * operations. {@code -Dio.netty.leakDetection.samplingInterval=N} (or {@code -Dio.netty.leakDetection.level=paranoid})
 * in {@code SLUICE_JAVA_OPTS} overrides it.
 */
public final class LeakSampling {
    /** One buffer in this many is traced. */
    public static final int INTERVAL = 4096;

    static final String PROPERTY = "io.netty.leakDetection.samplingInterval";

    private LeakSampling() {
    }

    /**
     * Sets the sampling interval unless the JVM was given one. Must run before Netty's {@code ResourceLeakDetector}
     * is first used (it reads the property once), i.e. before the first buffer is allocated.
     */
    public static void applyDefault() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(INTERVAL));
        }
    }

    /** The interval in effect for this JVM as a property (what Netty reads at its first buffer). */
    public static String effective() {
        return System.getProperty(PROPERTY, "128 (Netty's default)");
    }
}

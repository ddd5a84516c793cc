package dev.sluice.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code process_files_open_files} and {@code process_files_max_files} (the names of Micrometer's
 * {@code FileDescriptorMetrics}), read by {@link #sample()} on a schedule and served from the last sample.
 * Counting the open descriptors lists {@code /proc/self/fd}, one entry per client connection: with 19,000
 * clients that listing took 36 ms of kernel time, which a scrape must not wait for. The sample is at most
 * one period old ({@code SluiceServer} takes one every 5 s).
 */
public final class OpenFiles {
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private volatile double open = Double.NaN;
    private volatile double max = Double.NaN;

    public OpenFiles(MeterRegistry meters) {
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            Gauge.builder("process.files.open", this, f -> f.open).baseUnit("files")
                    .description("The open file descriptor count (sampled every few seconds)").register(meters);
            Gauge.builder("process.files.max", this, f -> f.max).baseUnit("files")
                    .description("The maximum file descriptor count").register(meters);
            sample();
        }
    }

    /** Reads the counts now (off the scrape path). */
    public void sample() {
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            open = unix.getOpenFileDescriptorCount();
            max = unix.getMaxFileDescriptorCount();
        }
    }
}

package dev.sluice.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * Micrometer's standard JVM and process meters ({@code jvm_memory_*}, {@code jvm_gc_*},
 * {@code jvm_threads_*}, {@code process_cpu_usage}, {@code system_cpu_*}, {@code process_uptime_seconds},
 * {@code process_files_open_files} / {@code process_files_max_files}, sampled: see {@link OpenFiles}). None is
 * per connection, so their number does not grow with clients, nor does a scrape's time. Close it to stop listening to GC notifications.
 */
public final class JvmMetrics implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final OpenFiles files;

    public JvmMetrics(MeterRegistry meters) {
        new JvmMemoryMetrics().bindTo(meters);
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        files = new OpenFiles(meters); // sampled off the scrape path: counting descriptors lists one per client

    }

    /** Samples the open-file counts (call it on a schedule; a scrape reads the last sample). */
    public void sampleOpenFiles() {
        files.sample();
    }

    @Override
    public void close() {
        gc.close();
    }
}

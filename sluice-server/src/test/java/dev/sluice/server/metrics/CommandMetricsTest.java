package dev.sluice.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Command latency and error series stay bounded whatever names and codes clients and backends send. */
class CommandMetricsTest {
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CommandMetrics metrics = new CommandMetrics(meters);

    @Test
    void knownCommandsGetTheirOwnSeriesAndAnyOtherNameIsOther() {
        metrics.operationEnded("mongodb", "find", TimeUnit.MICROSECONDS.toNanos(300));
        metrics.operationEnded("mongodb", "find", TimeUnit.MILLISECONDS.toNanos(3));
        for (int i = 0; i < 1_000; i++) {
            metrics.operationEnded("mongodb", "madeUp" + i, 1_000);
        }
        String scrape = meters.scrape();
        assertThat(scrape).contains("sluice_command_latency_seconds_count{command=\"find\"} 2",
                "sluice_command_latency_seconds_bucket{command=\"find\",le=\"5.0E-4\"} 1",
                "sluice_command_latency_seconds_bucket{command=\"find\",le=\"0.005\"} 2",
                "sluice_command_latency_seconds_count{command=\"other\"} 1000");
        assertThat(scrape).doesNotContain("madeUp");
        assertThat(scrape.lines().filter(l -> l.startsWith("sluice_command_latency_seconds_bucket{command=\"other\""))
                .count()).isEqualTo(LatencyBuckets.COUNT + 1);
    }

    @Test
    void errorCodesAreCappedThenCountedAsOther() {
        for (int code = 1; code <= CommandMetrics.CODE_LIMIT + 50; code++) {
            metrics.errorReply("db1:27017", code);
        }
        metrics.errorReplied("mongodb", 13);
        metrics.errorReplied("mongodb", 0);
        String scrape = meters.scrape();
        assertThat(scrape).contains("sluice_command_errors_total{code=\"1\",source=\"upstream\"} 1.0",
                "sluice_command_errors_total{code=\"other\",source=\"upstream\"} 50.0",
                "sluice_command_errors_total{code=\"13\",source=\"sluice\"} 1.0",
                "sluice_command_errors_total{code=\"none\",source=\"sluice\"} 1.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("sluice_command_errors_total{")).count())
                .isLessThanOrEqualTo(CommandMetrics.CODE_LIMIT + 3);
    }
}

package dev.sluice.server.metrics;

import dev.sluice.server.registry.OperationListener;
import dev.sluice.server.upstream.ReplyErrorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Client operations as metrics: {@code sluice_command_latency_seconds{command}}, a histogram with the
 * {@link LatencyBuckets} bounds per known command name ({@link CommandNames}, the rest "other"), from
 * the request's arrival to its reply; and {@code sluice_command_errors_total{code,source}}, error replies
 * by code, {@code source} "sluice" for the ones Sluice wrote itself and "upstream" for the ones a backend
 * sent (including those Sluice then retried). Codes are capped at {@value #CODE_LIMIT} distinct values,
 * then "other". Meters are registered on first use and then looked up without allocating.
 */
final class CommandMetrics implements OperationListener, ReplyErrorListener {
    static final int CODE_LIMIT = 100;

    private final MeterRegistry meters;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> sluiceErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final BoundedLabels codes = new BoundedLabels(CODE_LIMIT);

    CommandMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void operationEnded(String connector, String operation, long durationNanos) {
        Timer timer = latency.get(operation);
        if (timer == null) {
            // keyed by label: a made-up command name finds "other", so the map holds known names only
            timer = latency.computeIfAbsent(CommandNames.label(operation), this::timerFor);
        }
        timer.record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void errorReplied(String connector, int code) {
        count(sluiceErrors, "sluice", code);
    }

    @Override
    public void errorReply(String host, int code) {
        count(upstreamErrors, "upstream", code);
    }

    private void count(Map<String, Counter> counters, String source, int code) {
        // error replies are not the hot path: the label string is built each time, the map stays bounded
        String label = code == 0 ? "none" : codes.label(Integer.toString(code));
        counters.computeIfAbsent(label, c -> Counter.builder("sluice.command.errors")
                .description("Error replies (ok: 0) by code; source sluice: written by Sluice, upstream: sent by "
                        + "a backend")
                .tags("code", c, "source", source)
                .register(meters)).increment();
    }

    private Timer timerFor(String label) {
        return LatencyBuckets.apply(Timer.builder("sluice.command.latency")
                .description("Client operations from request to reply, by command name (unknown names: other)")
                .tag("command", label)).register(meters);
    }
}

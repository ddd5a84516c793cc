package dev.sluice.server.metrics;

import dev.sluice.server.upstream.SelectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Server selections as metrics: {@code sluice_upstream_selections_total{outcome}} and the time each took,
 * {@code sluice_upstream_selection_wait_seconds{outcome}} (a histogram: waiting for a primary during an election
 * shows here). Meters are registered once per outcome, so the request path allocates nothing.
 */
final class SelectionMetrics implements SelectionListener {
    private final Map<Outcome, Counter> counts = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> waits = new EnumMap<>(Outcome.class);

    SelectionMetrics(MeterRegistry meters) {
        for (Outcome o : Outcome.values()) {
            counts.put(o, Counter.builder("sluice.upstream.selections")
                    .description("Server selections by outcome (selected, no_suitable_server, invalid_read_preference, "
                            + "not_open)")
                    .tag("outcome", o.label()).register(meters));
            waits.put(o, LatencyBuckets.apply(Timer.builder("sluice.upstream.selection.wait")
                    .description("Time from the start of a server selection to its outcome")
                    .tag("outcome", o.label())).register(meters));
        }
    }

    @Override
    public void selectionEnded(Outcome outcome, long waitedNanos) {
        counts.get(outcome).increment();
        waits.get(outcome).record(Math.max(0, waitedNanos), TimeUnit.NANOSECONDS);
    }
}

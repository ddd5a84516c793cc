package dev.sluice.server.metrics;

import dev.sluice.server.upstream.SelectionListener;
import io.micrometer.core.instrument.FunctionCounter;
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
    private final Map<Outcome, Timer> waits = new EnumMap<>(Outcome.class);

    SelectionMetrics(MeterRegistry meters) {
        for (Outcome o : Outcome.values()) {
            Timer wait = LatencyBuckets.apply(Timer.builder("sluice.upstream.selection.wait")
                    .description("Time from the start of a server selection to its outcome")
                    .tag("outcome", o.label())).register(meters);
            waits.put(o, wait);
            // the same count as the wait histogram's: read from it at scrape time, not kept twice per operation
            FunctionCounter.builder("sluice.upstream.selections", wait, Timer::count)
                    .description("Server selections by outcome (selected, no_suitable_server, invalid_read_preference, "
                            + "not_open)")
                    .tag("outcome", o.label()).register(meters);
        }
    }

    @Override
    public void selectionEnded(Outcome outcome, long waitedNanos) {
        waits.get(outcome).record(Math.max(0, waitedNanos), TimeUnit.NANOSECONDS);
    }
}

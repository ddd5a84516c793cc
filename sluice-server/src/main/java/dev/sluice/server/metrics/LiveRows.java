package dev.sluice.server.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The rows of a {@link MultiGauge} whose values are read when the registry is scraped: {@link #update} registers the
 * gauge again only when the set of rows changes (a host joins or leaves, a label's first connection or its last),
 * and a series that stays is never removed and added back. Before, every refresh (once a second and before each
 * scrape) replaced every row of every such gauge in the registry.
 *
 * @param <K> a row's key, a value object (equal keys are the same row): it is also the object the value reads
 */
final class LiveRows<K> {
    private final MultiGauge gauge;
    private final Function<K, Tags> tags;
    private final ToDoubleFunction<K> value;
    private Set<K> registered = Set.of();

    LiveRows(MultiGauge gauge, Function<K, Tags> tags, ToDoubleFunction<K> value) {
        this.gauge = gauge;
        this.tags = tags;
        this.value = value;
    }

    /** Makes the rows those of {@code keys}; does nothing when they are the rows registered already. */
    synchronized void update(Collection<K> keys) {
        Set<K> now = Set.copyOf(keys);
        if (now.equals(registered)) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>(now.size());
        for (K key : now) {
            rows.add(MultiGauge.Row.of(tags.apply(key), key, value));
        }
        gauge.register(rows, false); // rows kept keep their gauge; rows gone are removed from the registry
        registered = now;
    }
}

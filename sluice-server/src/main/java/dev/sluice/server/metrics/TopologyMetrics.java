package dev.sluice.server.metrics;

import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The upstream topology as gauges, recomputed by {@link #refresh()}: {@code sluice_upstream_server_state{host, type}}
 * (a state set: one series per host and SDAM server type, 1 for the host's current type, 0 for the others),
 * {@code sluice_upstream_server_rtt_seconds{host}} (the averaged hello round trip; no series while the host has
 * none) and {@code sluice_topology_type{type}} (1 for the current topology type, 0 for the others). A host that
 * leaves the topology loses its series.
 */
final class TopologyMetrics {
    private final Supplier<TopologyDescription> topology;
    private final MultiGauge state;
    private final MultiGauge rtt;
    private final MultiGauge type;

    TopologyMetrics(MeterRegistry meters, Supplier<TopologyDescription> topology) {
        this.topology = topology;
        this.state = MultiGauge.builder("sluice.upstream.server.state")
                .description("1 for each upstream server's current SDAM type (RSPrimary, RSSecondary, Mongos, "
                        + "Standalone, Unknown...), 0 for the other types")
                .register(meters);
        this.rtt = MultiGauge.builder("sluice.upstream.server.rtt").baseUnit("seconds")
                .description("Averaged hello round trip to each upstream server")
                .register(meters);
        this.type = MultiGauge.builder("sluice.topology.type")
                .description("1 for the upstream's current SDAM topology type, 0 for the other types")
                .register(meters);
    }

    void refresh() {
        TopologyDescription d = topology.get();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> rtts = new ArrayList<>();
        for (ServerDescription s : d.serverDescriptions()) {
            String host = s.address().toString();
            for (ServerType t : ServerType.values()) {
                states.add(MultiGauge.Row.of(Tags.of("host", host, "type", t.specName()), s.type() == t ? 1 : 0));
            }
            if (s.averageRttMillis().isPresent()) {
                rtts.add(MultiGauge.Row.of(Tags.of("host", host), s.averageRttMillis().getAsDouble() / 1000.0));
            }
        }
        List<MultiGauge.Row<?>> types = new ArrayList<>();
        for (TopologyType t : TopologyType.values()) {
            types.add(MultiGauge.Row.of(Tags.of("type", t.specName()), d.type() == t ? 1 : 0));
        }
        state.register(states, true);
        rtt.register(rtts, true);
        type.register(types, true);
    }
}

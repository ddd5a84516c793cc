package dev.sluice.server.metrics;

import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final LiveRows<HostType> state;
    private final LiveRows<String> rtt;
    /** The topology as of the last {@link #refresh()}, which the gauges read; its servers by address. */
    private volatile TopologyDescription current;
    private volatile Map<String, ServerDescription> servers = Map.of();

    TopologyMetrics(MeterRegistry meters, Supplier<TopologyDescription> topology) {
        this.topology = topology;
        this.state = new LiveRows<>(MultiGauge.builder("sluice.upstream.server.state")
                .description("1 for each upstream server's current SDAM type (RSPrimary, RSSecondary, Mongos, "
                        + "Standalone, Unknown...), 0 for the other types")
                .register(meters), k -> Tags.of("host", k.host(), "type", k.type().specName()), this::isType);
        this.rtt = new LiveRows<>(MultiGauge.builder("sluice.upstream.server.rtt").baseUnit("seconds")
                .description("Averaged hello round trip to each upstream server")
                .register(meters), host -> Tags.of("host", host), this::rttSeconds);
        LiveRows<TopologyType> type = new LiveRows<>(MultiGauge.builder("sluice.topology.type")
                .description("1 for the upstream's current SDAM topology type, 0 for the other types")
                .register(meters), t -> Tags.of("type", t.specName()), t -> current != null && current.type() == t ? 1 : 0);
        type.update(List.of(TopologyType.values())); // the same rows for good
    }

    void refresh() {
        TopologyDescription d = topology.get();
        Map<String, ServerDescription> byHost = new LinkedHashMap<>();
        List<HostType> states = new ArrayList<>();
        List<String> rtts = new ArrayList<>();
        for (ServerDescription s : d.serverDescriptions()) {
            String host = s.address().toString();
            byHost.put(host, s);
            for (ServerType t : ServerType.values()) {
                states.add(new HostType(host, t));
            }
            if (s.averageRttMillis().isPresent()) {
                rtts.add(host);
            }
        }
        servers = byHost;
        current = d;
        state.update(states);
        rtt.update(rtts);
    }

    private double isType(HostType k) {
        ServerDescription s = servers.get(k.host());
        return s == null ? Double.NaN : s.type() == k.type() ? 1 : 0;
    }

    private double rttSeconds(String host) {
        ServerDescription s = servers.get(host);
        return s == null || s.averageRttMillis().isEmpty() ? Double.NaN : s.averageRttMillis().getAsDouble() / 1000.0;
    }

    /** One series of {@code sluice_upstream_server_state}: a host and one server type. */
    private record HostType(String host, ServerType type) {
    }
}

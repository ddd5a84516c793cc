package dev.sluice.server.metrics;

import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.upstream.HostPoolStats;
import dev.sluice.server.upstream.PoolDirectory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Warns before connections run out. {@link #check()} (called by the server every second, by tests
 * directly) compares client connections with maxIncomingConnections and backend demand (connections
 * in use plus requests waiting for one; idle pooled connections are not pressure) with the sum of the
 * pools' maxPoolSize; crossing the threshold logs one WARN, falling back below
 * threshold minus hysteresis logs one INFO. Gauges: {@code sluice_connections_limit_ratio{kind}}
 * (0..1+) and {@code sluice_connections_alert{kind}} (0/1). Not thread-safe: one caller of check().
 */
public final class ConnectionAlerts {
    private static final Logger log = LoggerFactory.getLogger(ConnectionAlerts.class);
    /** Both mongodb connectors: the router face and the load-balanced face share maxIncomingConnections. */
    private static final String CLIENT_CONNECTOR = "mongodb";
    private static final String LOAD_BALANCED_CONNECTOR = "mongodb-lb";

    /** What is being watched. */
    public enum Kind {
        CLIENT("client"), BACKEND("backend");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** An alert going on ({@code alerting}) or off, with the figures that made it. */
    public record Transition(Kind kind, boolean alerting, long used, long limit) {
        public double ratio() {
            return limit == 0 ? 0 : (double) used / limit;
        }
    }

    private final ConnectionRegistry registry;
    private final PoolDirectory pools;
    private final AlertSettings settings;
    private final Map<Kind, State> states = new EnumMap<>(Kind.class);

    public ConnectionAlerts(MeterRegistry meters, ConnectionRegistry registry, PoolDirectory pools,
                            AlertSettings settings) {
        this.registry = registry;
        this.pools = pools;
        this.settings = settings;
        for (Kind kind : Kind.values()) {
            State state = new State();
            states.put(kind, state);
            Gauge.builder("sluice.connections.limit.ratio", state, s -> s.ratio)
                    .description("Connections as a share of their limit (client: maxIncomingConnections, "
                            + "backend: sum of maxPoolSize)")
                    .tag("kind", kind.tag()).register(meters);
            Gauge.builder("sluice.connections.alert", state, s -> s.alerting ? 1 : 0)
                    .description("1 while connections are above the alert threshold")
                    .tag("kind", kind.tag()).register(meters);
        }
    }

    /** Re-reads the figures, updates the gauges, logs and returns the alerts that changed. */
    public List<Transition> check() {
        List<Transition> changes = new ArrayList<>(2);
        evaluate(Kind.CLIENT, registry.currentCount(CLIENT_CONNECTOR) + registry.currentCount(LOAD_BALANCED_CONNECTOR), settings.maxIncomingConnections(), changes);
        long open = 0;
        long limit = 0;
        for (HostPoolStats host : pools.statistics()) {
            if (host.maxPoolSize() > 0) {
                open += host.inUse() + host.waitQueueSize();
                limit += host.maxPoolSize();
            }
        }
        evaluate(Kind.BACKEND, open, limit, changes);
        return changes;
    }

    public boolean alerting(Kind kind) {
        return states.get(kind).alerting;
    }

    public double ratio(Kind kind) {
        return states.get(kind).ratio;
    }

    private void evaluate(Kind kind, long used, long limit, List<Transition> changes) {
        State state = states.get(kind);
        state.ratio = limit == 0 ? 0 : (double) used / limit;
        double percent = state.ratio * 100;
        if (!state.alerting && limit > 0 && percent >= settings.thresholdPercent()) {
            state.alerting = true;
            changes.add(new Transition(kind, true, used, limit));
            log.warn("[alerts] {} at {}% of their limit ({} of {}), above the {}% threshold; {}",
                    what(kind), Math.round(percent), used, limit, settings.thresholdPercent(), advice(kind));
        } else if (state.alerting && percent < settings.thresholdPercent() - settings.hysteresisPercent()) {
            state.alerting = false;
            changes.add(new Transition(kind, false, used, limit));
            log.info("[alerts] {} back to {}% of their limit ({} of {})",
                    what(kind), Math.round(percent), used, limit);
        }
    }

    private static String what(Kind kind) {
        return kind == Kind.CLIENT ? "client connections" : "backend connections in use plus waiting requests";
    }

    private static String advice(Kind kind) {
        return kind == Kind.CLIENT
                ? "raise maxIncomingConnections or find the clients that open too many (GET /api/connections)"
                : "requests will queue for backend connections; raise maxPoolSize if the cluster can take it";
    }

    private static final class State {
        volatile double ratio;
        volatile boolean alerting;
    }
}

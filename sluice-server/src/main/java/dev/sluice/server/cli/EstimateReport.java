package dev.sluice.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** Renders an {@link Estimate} as text for people or as JSON for scripts. */
final class EstimateReport {
    private EstimateReport() {
    }

    static String text(Estimate e) {
        EstimateInput in = e.input();
        StringBuilder out = new StringBuilder();
        out.append("Direct to the cluster (").append(n(in.nodes())).append(in.nodes() == 1 ? " node, " : " nodes, ")
                .append(in.driver().label()).append(" driver");
        if (in.driver() == DriverKind.POOLED) {
            out.append(", pool size ").append(n(in.poolSize())).append(", ").append(in.monitoring().label())
                    .append(" monitoring");
        }
        out.append(")\n");
        out.append("  per client:   ").append(n(e.perClient())).append(" connections = ")
                .append(perNodeFormula(in.driver(), in.poolSize(), in.monitoring())).append(" x ")
                .append(n(in.nodes())).append(in.nodes() == 1 ? " node\n" : " nodes\n");
        out.append("  ").append(pad(n(in.clients()) + (in.clients() == 1 ? " client:" : " clients:")))
                .append(n(e.total())).append(" connections\n");
        if (e.hasLimit()) {
            out.append("  ").append(pad("limit " + n(e.limit()) + ":")).append(verdict(e.total(), e.limit()))
                    .append("; the limit is reached at ").append(n(e.reachedAtClients()))
                    .append(e.reachedAtClients() == 1 ? " client\n" : " clients\n");
        }
        out.append("Through Sluice (").append(n(in.sluiceInstances()))
                .append(in.sluiceInstances() == 1 ? " instance" : " instances")
                .append(", upstream pool size ").append(n(in.sluicePoolSize())).append(", ")
                .append(in.sluiceMonitoring().label()).append(" monitoring)\n");
        out.append("  cluster sees: ").append(n(e.throughSluice())).append(" connections = (")
                .append(n(in.sluicePoolSize())).append(" pool + ").append(in.sluiceMonitoring().connectionsPerNode())
                .append(" monitoring) x ").append(n(in.nodes())).append(in.nodes() == 1 ? " node" : " nodes");
        if (in.sluiceInstances() > 1) {
            out.append(" x ").append(n(in.sluiceInstances())).append(" instances");
        }
        out.append(", whatever the number of clients\n");
        if (e.hasLimit()) {
            out.append("  ").append(pad("limit " + n(e.limit()) + ":")).append(verdict(e.throughSluice(), e.limit()))
                    .append('\n');
        }
        out.append("  Sluice takes: ").append(n(e.sluiceIncoming())).append(" client connections = ")
                .append(n(in.clients())).append(in.clients() == 1 ? " client x " : " clients x ");
        if (in.sluiceFace() == SluiceFace.LOAD_BALANCED && in.driver() == DriverKind.POOLED) {
            out.append("(").append(n(in.poolSize())).append(" pool + 0 monitoring) on the load-balanced port "
                    + "(loadBalanced=true: no monitoring connections)\n");
        } else {
            out.append(perNodeFormula(in.driver(), in.poolSize(), in.monitoring()))
                    .append(" (Sluice is one endpoint to them)\n");
        }
        return out.toString();
    }

    static String json(Estimate e) {
        ObjectMapper mapper = new ObjectMapper();
        EstimateInput in = e.input();
        ObjectNode root = mapper.createObjectNode();
        root.put("nodes", in.nodes()).put("clients", in.clients()).put("poolSize", in.poolSize())
                .put("driver", in.driver().label()).put("monitoring", in.monitoring().label())
                .put("perClient", e.perClient()).put("total", e.total());
        if (e.hasLimit()) {
            root.put("limit", e.limit()).put("limitExceeded", e.exceeded())
                    .put("limitReachedAtClients", e.reachedAtClients());
        } else {
            root.putNull("limit");
        }
        ObjectNode sluice = root.putObject("throughSluice");
        sluice.put("instances", in.sluiceInstances()).put("poolSize", in.sluicePoolSize())
                .put("monitoring", in.sluiceMonitoring().label()).put("face", in.sluiceFace().label())
                .put("perNode", e.sluicePerNode())
                .put("total", e.throughSluice()).put("clientConnectionsToSluice", e.sluiceIncoming());
        if (e.hasLimit()) {
            sluice.put("limitExceeded", e.sluiceExceeded());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String verdict(long total, long limit) {
        if (total > limit) {
            return "EXCEEDED by " + n(total - limit) + " (" + percent(total, limit) + " of the limit)";
        }
        if (total == limit) {
            return "AT the limit (100%)";
        }
        return "within, " + percent(total, limit) + " of the limit";
    }

    private static String perNodeFormula(DriverKind driver, int poolSize, MonitoringMode monitoring) {
        if (driver == DriverKind.SINGLE) {
            return "1 connection (single-threaded driver)";
        }
        return "(" + n(poolSize) + " pool + " + monitoring.connectionsPerNode() + " monitoring)";
    }

    private static String percent(long part, long whole) {
        return Math.round(part * 100.0 / whole) + "%";
    }

    private static String pad(String label) {
        return String.format(Locale.ROOT, "%-14s", label);
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}

package dev.sluice.server.admin;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.upstream.HostPoolStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The upstream deployment as the HTTP API ({@code GET /api/topology}), the dashboard and {@code serverStatus} show
 * it: the topology type, the replica set name and, per server in discovery order, its type and role, its averaged
 * round trip, its last error and its pool's figures.
 *
 * @param type               the SDAM topology type ({@code "ReplicaSetWithPrimary"}, {@code "Sharded"}...)
 * @param setName            the replica set name, or null
 * @param compatible         false when a server's wire versions do not overlap Sluice's
 * @param compatibilityError why not, or null
 * @param servers            one entry per server
 */
@JsonPropertyOrder({"type", "setName", "compatible", "compatibilityError", "servers"})
public record TopologyReport(String type, String setName, boolean compatible, String compatibilityError,
                             List<Server> servers) {

    /**
     * One server.
     *
     * @param address        "host:port" as Sluice connects to it
     * @param type           the SDAM server type ({@code "RSPrimary"}, {@code "Unknown"}...)
     * @param role           the same in words: primary, secondary, arbiter, other, ghost, mongos, standalone,
     *                       loadBalancer, possiblePrimary or unknown
     * @param rttMillis      the averaged hello round trip in milliseconds, or null before one was measured
     * @param setName        the replica set the server says it belongs to, or null
     * @param tags           its replica set tags
     * @param maxWireVersion its maximum wire version (0 before a successful check)
     * @param lastWriteDate  its {@code lastWrite.lastWriteDate} (epoch ms), or null
     * @param error          why it is Unknown (the last check's or operation's error), or null
     * @param pool           its pool's figures, or null when it has no pool
     */
    @JsonPropertyOrder({"address", "type", "role", "rttMillis", "setName", "tags", "maxWireVersion", "lastWriteDate",
            "error", "pool"})
    public record Server(String address, String type, String role, Double rttMillis, String setName,
                         Map<String, String> tags, int maxWireVersion, Long lastWriteDate, String error,
                         HostPoolStats pool) {
    }

    /**
     * @param topology the description
     * @param pools    the pools, by "host:port"
     */
    public static TopologyReport of(TopologyDescription topology, PoolSummary pools) {
        List<Server> servers = new ArrayList<>(topology.servers().size());
        for (ServerDescription s : topology.serverDescriptions()) {
            String address = s.address().toString();
            servers.add(new Server(address, s.type().specName(), role(s.type()),
                    s.averageRttMillis().isPresent() ? s.averageRttMillis().getAsDouble() : null, s.setName(),
                    s.tags(), s.maxWireVersion(), s.lastWriteDateMillis(), s.error(), pools.hosts().get(address)));
        }
        return new TopologyReport(topology.type().specName(), topology.setName(), topology.compatible(),
                topology.compatibilityError(), List.copyOf(servers));
    }

    /** @return the role of a server type in words, for people */
    static String role(ServerType type) {
        return switch (type) {
            case RS_PRIMARY -> "primary";
            case RS_SECONDARY -> "secondary";
            case RS_ARBITER -> "arbiter";
            case RS_OTHER -> "other";
            case RS_GHOST -> "ghost";
            case MONGOS -> "mongos";
            case STANDALONE -> "standalone";
            case LOAD_BALANCER -> "loadBalancer";
            case POSSIBLE_PRIMARY -> "possiblePrimary";
            case UNKNOWN -> "unknown";
        };
    }
}

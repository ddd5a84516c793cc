package dev.sluice.server.admin;

import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Topology descriptions built by hand, for tests of the views. */
public final class Topologies {
    private Topologies() {
    }

    /**
     * @param rttMillis negative for none measured
     * @param error     why Unknown, or null
     */
    public static ServerDescription server(String address, ServerType type, double rttMillis, String setName,
                                           Map<String, String> tags, String error) {
        return new ServerDescription(ServerAddress.parse(address), type, error,
                rttMillis < 0 ? OptionalDouble.empty() : OptionalDouble.of(rttMillis), 0, null, 0,
                type == ServerType.UNKNOWN ? 0 : 21, null, List.of(), List.of(), List.of(), tags, setName, null, null,
                null, type == ServerType.UNKNOWN ? null : 30, null);
    }

    public static TopologyDescription of(TopologyType type, String setName, ServerDescription... servers) {
        Map<ServerAddress, ServerDescription> byAddress = new LinkedHashMap<>();
        for (ServerDescription s : servers) {
            byAddress.put(s.address(), s);
        }
        return new TopologyDescription(type, setName, null, null, byAddress, true, null, null);
    }

    /** rs0: db1 primary (tags dc=east, 1.4 ms), db2 secondary (12.6 ms), db3 unreachable. */
    public static TopologyDescription replicaSet() {
        return of(TopologyType.REPLICA_SET_WITH_PRIMARY, "rs0",
                server("db1:27017", ServerType.RS_PRIMARY, 1.4, "rs0", Map.of("dc", "east", "rack", "r1"), null),
                server("db2:27017", ServerType.RS_SECONDARY, 12.6, "rs0", Map.of(), null),
                server("db3:27017", ServerType.UNKNOWN, -1, null, Map.of(), "connection refused"));
    }
}

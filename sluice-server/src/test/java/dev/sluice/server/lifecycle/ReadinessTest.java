package dev.sluice.server.lifecycle;

import dev.sluice.server.topology.ServerAddress;
import dev.sluice.server.topology.ServerDescription;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyDescription;
import dev.sluice.server.topology.TopologyType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /readyz}'s verdict: draining first, then whether a server can take a primary read. */
class ReadinessTest {
    @Test
    void drainingWinsOverAHealthyUpstream() {
        assertThat(Readiness.notReadyReason(true, topology(TopologyType.SINGLE, ServerType.STANDALONE))).isEqualTo("draining");
    }

    @Test
    void aPrimaryAStandaloneOrAnyMongosUpIsReady() {
        assertThat(Readiness.notReadyReason(false, topology(TopologyType.REPLICA_SET_WITH_PRIMARY,
                ServerType.RS_SECONDARY, ServerType.RS_PRIMARY))).isNull();
        assertThat(Readiness.notReadyReason(false, topology(TopologyType.SINGLE, ServerType.STANDALONE))).isNull();
        assertThat(Readiness.notReadyReason(false, topology(TopologyType.SHARDED, ServerType.UNKNOWN,
                ServerType.MONGOS))).isNull();
    }

    @Test
    void secondariesOnlyUnknownServersOrNoTopologyAreNoUpstream() {
        assertThat(Readiness.notReadyReason(false, topology(TopologyType.REPLICA_SET_NO_PRIMARY,
                ServerType.RS_SECONDARY, ServerType.RS_SECONDARY))).isEqualTo("no-upstream");
        assertThat(Readiness.notReadyReason(false, topology(TopologyType.UNKNOWN, ServerType.UNKNOWN)))
                .isEqualTo("no-upstream");
        assertThat(Readiness.notReadyReason(false, null)).isEqualTo("no-upstream");
        assertThat(Readiness.notReadyReason(false, TopologyDescription.empty())).isEqualTo("no-upstream");
    }

    private static TopologyDescription topology(TopologyType type, ServerType... servers) {
        Map<ServerAddress, ServerDescription> map = new LinkedHashMap<>();
        for (int i = 0; i < servers.length; i++) {
            ServerAddress address = new ServerAddress("db" + i, 27017);
            ServerDescription unknown = ServerDescription.unknown(address);
            map.put(address, servers[i] == ServerType.UNKNOWN ? unknown : withType(unknown, servers[i]));
        }
        return new TopologyDescription(type, null, null, null, map, true, null, null);
    }

    private static ServerDescription withType(ServerDescription d, ServerType type) {
        return new ServerDescription(d.address(), type, null, null, 0, null, 0, 17, null, null, null, null, null,
                null, null, null, null, null, null);
    }
}

package dev.sluice.server.topology;

import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A mutable working copy of a {@link TopologyDescription}, used by one update under the topology's lock. */
final class TopologyDraft {

    TopologyType type;
    String setName;
    Integer maxSetVersion;
    ObjectId maxElectionId;
    final Map<ServerAddress, ServerDescription> servers;
    /** Old primaries made Unknown because a newer primary appeared: their monitors should check them now. */
    final List<ServerAddress> invalidatedPrimaries = new ArrayList<>();
    final long nowMillis;

    TopologyDraft(TopologyDescription from, long nowMillis) {
        this.type = from.type();
        this.setName = from.setName();
        this.maxSetVersion = from.maxSetVersion();
        this.maxElectionId = from.maxElectionId();
        this.servers = new LinkedHashMap<>(from.servers());
        this.nowMillis = nowMillis;
    }

    boolean contains(ServerAddress address) {
        return servers.containsKey(address);
    }

    void remove(ServerAddress address) {
        servers.remove(address);
    }

    void addUnknownIfAbsent(ServerAddress address) {
        servers.putIfAbsent(address, ServerDescription.unknown(address));
    }

    void markUnknown(ServerAddress address, String error) {
        servers.put(address, ServerDescription.unknown(address, error, null, nowMillis));
    }

    /** SDAM checkIfHasPrimary: the type follows whether an RSPrimary is present. */
    void checkIfHasPrimary() {
        boolean hasPrimary = servers.values().stream().anyMatch(s -> s.type() == ServerType.RS_PRIMARY);
        type = hasPrimary ? TopologyType.REPLICA_SET_WITH_PRIMARY : TopologyType.REPLICA_SET_NO_PRIMARY;
    }

    /** @return the immutable description, with compatibility and session timeout recomputed */
    TopologyDescription build() {
        String incompatibility = null;
        Integer sessionTimeout = null;
        boolean sawDataBearing = false;
        boolean missingTimeout = false;
        for (ServerDescription s : servers.values()) {
            if (incompatibility == null) {
                incompatibility = WireVersions.incompatibility(s);
            }
            if (s.type().isDataBearing()) {
                sawDataBearing = true;
                Integer t = s.logicalSessionTimeoutMinutes();
                if (t == null) {
                    missingTimeout = true;
                } else if (sessionTimeout == null || t < sessionTimeout) {
                    sessionTimeout = t;
                }
            }
        }
        Integer timeout = sawDataBearing && !missingTimeout ? sessionTimeout : null;
        return new TopologyDescription(type, setName, maxSetVersion, maxElectionId, servers, incompatibility == null,
                incompatibility, timeout);
    }
}

package dev.sluice.server.topology;

import org.bson.types.ObjectId;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything Sluice knows about its upstream deployment at one moment. Immutable: readers take the current one from
 * {@link Topology#description()} without locking and it never changes under them.
 *
 * @param type                         the topology type
 * @param setName                      the replica set name, or null
 * @param maxSetVersion                the largest setVersion a primary has reported (with maxElectionId), or null
 * @param maxElectionId                the largest electionId a primary has reported, or null
 * @param servers                      the servers by address, in discovery order
 * @param compatible                   false when a server's wire version range does not overlap Sluice's
 * @param compatibilityError           why not compatible, or null
 * @param logicalSessionTimeoutMinutes the smallest session timeout among data-bearing servers, null if any lacks one
 */
public record TopologyDescription(TopologyType type, String setName, Integer maxSetVersion, ObjectId maxElectionId,
                                  Map<ServerAddress, ServerDescription> servers, boolean compatible,
                                  String compatibilityError, Integer logicalSessionTimeoutMinutes) {

    public TopologyDescription {
        Objects.requireNonNull(type, "type");
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    /** @return the "unknown" description with no servers, the previous description of the first change event */
    public static TopologyDescription empty() {
        return new TopologyDescription(TopologyType.UNKNOWN, null, null, null, Map.of(), true, null, null);
    }

    /**
     * @param address an address
     * @return its description, or null when the server is not in the topology
     */
    public ServerDescription server(ServerAddress address) {
        return servers.get(address);
    }

    /** @return all server descriptions, in discovery order */
    public Collection<ServerDescription> serverDescriptions() {
        return servers.values();
    }

    /** @return the RSPrimary, if one is known */
    public Optional<ServerDescription> primary() {
        for (ServerDescription s : servers.values()) {
            if (s.type() == ServerType.RS_PRIMARY) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Equality for change events: same type, set name, election tuple, compatibility, session timeout and servers
     * that are pairwise {@link ServerDescription#equivalentTo equivalent}. Round trip times do not count.
     *
     * @param other another description
     * @return whether nothing significant changed
     */
    public boolean equivalentTo(TopologyDescription other) {
        if (other == null || type != other.type || compatible != other.compatible
                || !Objects.equals(setName, other.setName) || !Objects.equals(maxSetVersion, other.maxSetVersion)
                || !Objects.equals(maxElectionId, other.maxElectionId)
                || !Objects.equals(logicalSessionTimeoutMinutes, other.logicalSessionTimeoutMinutes)
                || !servers.keySet().equals(other.servers.keySet())) {
            return false;
        }
        for (ServerDescription s : servers.values()) {
            if (!s.equivalentTo(other.servers.get(s.address()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "{type=" + type.specName() + (setName == null ? "" : ", setName=" + setName) + ", servers="
                + servers.values() + (compatible ? "" : ", incompatible: " + compatibilityError) + "}";
    }
}

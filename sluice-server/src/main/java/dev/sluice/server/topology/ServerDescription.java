package dev.sluice.server.topology;

import org.bson.types.ObjectId;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What Sluice knows about one upstream server, from its last hello reply or error. Immutable: the topology replaces
 * descriptions, it never changes them.
 *
 * @param address                      where Sluice connects (not the server's own {@code me})
 * @param type                         the server type
 * @param error                        why the server is Unknown, or null
 * @param averageRttMillis             the averaged hello round trip (EWMA, alpha 0.2); empty while Unknown
 * @param lastUpdateTimeMillis         when the description was made, on the topology's monotonic clock
 * @param lastWriteDateMillis          {@code lastWrite.lastWriteDate} of a replica set member (epoch ms), or null
 * @param minWireVersion               the server's minimum wire version (0 when absent)
 * @param maxWireVersion               the server's maximum wire version (0 when absent)
 * @param me                           the address the member was configured with, or null
 * @param hosts                        the member's {@code hosts}
 * @param passives                     the member's {@code passives} (priority 0 members)
 * @param arbiters                     the member's {@code arbiters}
 * @param tags                         the member's tags
 * @param setName                      the replica set name, or null
 * @param electionId                   the primary's election id, or null
 * @param setVersion                   the replica set config version, or null
 * @param primary                      who the member thinks is primary, or null
 * @param logicalSessionTimeoutMinutes the session timeout, or null when sessions are unsupported
 * @param topologyVersion              the server's topologyVersion, or null
 */
public record ServerDescription(ServerAddress address, ServerType type, String error, OptionalDouble averageRttMillis,
                                long lastUpdateTimeMillis, Long lastWriteDateMillis, int minWireVersion,
                                int maxWireVersion, ServerAddress me, List<ServerAddress> hosts,
                                List<ServerAddress> passives, List<ServerAddress> arbiters, Map<String, String> tags,
                                String setName, ObjectId electionId, Integer setVersion, ServerAddress primary,
                                Integer logicalSessionTimeoutMinutes, TopologyVersion topologyVersion) {

    public ServerDescription {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        averageRttMillis = averageRttMillis == null ? OptionalDouble.empty() : averageRttMillis;
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        passives = passives == null ? List.of() : List.copyOf(passives);
        arbiters = arbiters == null ? List.of() : List.copyOf(arbiters);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * The default description of a server not yet checked.
     *
     * @param address the server
     * @return an Unknown description with no error
     */
    public static ServerDescription unknown(ServerAddress address) {
        return unknown(address, null, null, 0);
    }

    /**
     * An Unknown description after an error.
     *
     * @param address         the server
     * @param error           what happened (may be null)
     * @param topologyVersion the topologyVersion carried by a state change error, or null
     * @param nowMillis       the topology clock
     * @return the description
     */
    public static ServerDescription unknown(ServerAddress address, String error, TopologyVersion topologyVersion,
                                            long nowMillis) {
        return new ServerDescription(address, ServerType.UNKNOWN, error, OptionalDouble.empty(), nowMillis, null, 0, 0,
                null, List.of(), List.of(), List.of(), Map.of(), null, null, null, null, null, topologyVersion);
    }

    /** @param newType the type to report @return a copy with another type (used for PossiblePrimary) */
    ServerDescription withType(ServerType newType) {
        return new ServerDescription(address, newType, error, averageRttMillis, lastUpdateTimeMillis,
                lastWriteDateMillis, minWireVersion, maxWireVersion, me, hosts, passives, arbiters, tags, setName,
                electionId, setVersion, primary, logicalSessionTimeoutMinutes, topologyVersion);
    }

    /** @param rtt the new average @return a copy with another average round trip time */
    ServerDescription withAverageRtt(OptionalDouble rtt) {
        return new ServerDescription(address, type, error, rtt, lastUpdateTimeMillis, lastWriteDateMillis,
                minWireVersion, maxWireVersion, me, hosts, passives, arbiters, tags, setName, electionId, setVersion,
                primary, logicalSessionTimeoutMinutes, topologyVersion);
    }

    /** @return true unless Unknown or PossiblePrimary */
    public boolean isAvailable() {
        return type.isAvailable();
    }

    /** @return the averaged round trip in milliseconds, 0 when none was measured yet */
    public double rttOrZero() {
        return averageRttMillis.orElse(0);
    }

    /**
     * @param address an address
     * @return true if this server lists it in {@code hosts}, {@code passives} or {@code arbiters}
     */
    public boolean listsMember(ServerAddress address) {
        return hosts.contains(address) || passives.contains(address) || arbiters.contains(address);
    }

    /**
     * SDAM's "server description equality": equal in every field that matters to events (type, wire versions,
     * me, members, tags, setName, electionId, setVersion, primary, session timeout, topologyVersion, error), but not
     * in round trip time or update time. PossiblePrimary counts as Unknown (a hint for scanning order, synonymous
     * with Unknown for a multi-threaded client). Equivalent descriptions raise no ServerDescriptionChangedEvent.
     *
     * @param other another description of the same server
     * @return whether nothing significant changed
     */
    public boolean equivalentTo(ServerDescription other) {
        return other != null && address.equals(other.address) && unknownLike(type) == unknownLike(other.type)
                && (unknownLike(type) || type == other.type)
                && minWireVersion == other.minWireVersion && maxWireVersion == other.maxWireVersion
                && Objects.equals(me, other.me) && new HashSet<>(hosts).equals(new HashSet<>(other.hosts))
                && new HashSet<>(passives).equals(new HashSet<>(other.passives))
                && new HashSet<>(arbiters).equals(new HashSet<>(other.arbiters)) && tags.equals(other.tags)
                && Objects.equals(setName, other.setName) && Objects.equals(electionId, other.electionId)
                && Objects.equals(setVersion, other.setVersion) && Objects.equals(primary, other.primary)
                && Objects.equals(logicalSessionTimeoutMinutes, other.logicalSessionTimeoutMinutes)
                && Objects.equals(topologyVersion, other.topologyVersion) && Objects.equals(error, other.error);
    }

    private static boolean unknownLike(ServerType t) {
        return t == ServerType.UNKNOWN || t == ServerType.POSSIBLE_PRIMARY;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{address=").append(address).append(", type=").append(type.specName());
        if (setName != null) {
            s.append(", setName=").append(setName);
        }
        averageRttMillis.ifPresent(r -> s.append(", rttMs=").append(r));
        if (error != null) {
            s.append(", error=").append(error);
        }
        return s.append('}').toString();
    }
}

package dev.sluice.server.topology;

import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SDAM "TopologyType table": how a new server description changes the topology. Each method follows the
 * specification's subroutine of the same name.
 */
final class TopologyTransitions {

    private TopologyTransitions() {
    }

    /**
     * Replaces the server's description and applies the table. The caller has checked that the server is in the
     * topology and that the description is not older (topologyVersion) than the current one.
     */
    static void apply(TopologyDraft d, ServerDescription sd, TopologySettings settings) {
        d.servers.put(sd.address(), sd);
        ServerType t = sd.type();
        switch (d.type) {
            case SINGLE -> verifySetNameForSingle(d, sd, settings);
            case LOAD_BALANCED -> {
                // not monitored: nothing to learn from a server description
            }
            case UNKNOWN -> {
                if (t == ServerType.STANDALONE) {
                    updateUnknownWithStandalone(d, sd, settings);
                } else if (t == ServerType.MONGOS) {
                    d.type = TopologyType.SHARDED;
                } else if (t == ServerType.RS_PRIMARY) {
                    d.type = TopologyType.REPLICA_SET_WITH_PRIMARY;
                    updateRSFromPrimary(d, sd);
                } else if (isMemberNotPrimary(t)) {
                    d.type = TopologyType.REPLICA_SET_NO_PRIMARY;
                    updateRSWithoutPrimary(d, sd);
                }
            }
            case SHARDED -> {
                if (t != ServerType.UNKNOWN && t != ServerType.MONGOS && t != ServerType.POSSIBLE_PRIMARY) {
                    d.remove(sd.address());
                }
            }
            case REPLICA_SET_NO_PRIMARY -> {
                if (t == ServerType.STANDALONE || t == ServerType.MONGOS) {
                    d.remove(sd.address());
                } else if (t == ServerType.RS_PRIMARY) {
                    d.type = TopologyType.REPLICA_SET_WITH_PRIMARY;
                    updateRSFromPrimary(d, sd);
                } else if (isMemberNotPrimary(t)) {
                    updateRSWithoutPrimary(d, sd);
                }
            }
            case REPLICA_SET_WITH_PRIMARY -> {
                if (t == ServerType.STANDALONE || t == ServerType.MONGOS) {
                    d.remove(sd.address());
                    d.checkIfHasPrimary();
                } else if (t == ServerType.RS_PRIMARY) {
                    updateRSFromPrimary(d, sd);
                } else if (isMemberNotPrimary(t)) {
                    updateRSWithPrimaryFromMember(d, sd);
                } else {
                    d.checkIfHasPrimary();
                }
            }
            default -> throw new IllegalStateException("unhandled topology type " + d.type);
        }
    }

    private static boolean isMemberNotPrimary(ServerType t) {
        return t == ServerType.RS_SECONDARY || t == ServerType.RS_ARBITER || t == ServerType.RS_OTHER;
    }

    private static void verifySetNameForSingle(TopologyDraft d, ServerDescription sd, TopologySettings settings) {
        String required = settings.replicaSetName();
        if (required != null && sd.type() != ServerType.UNKNOWN && !required.equals(sd.setName())) {
            d.markUnknown(sd.address(), "replica set name mismatch: replicaSet=" + required + " but " + sd.address()
                    + " reports " + (sd.setName() == null ? "no setName" : "setName " + sd.setName()));
        }
    }

    private static void updateUnknownWithStandalone(TopologyDraft d, ServerDescription sd, TopologySettings settings) {
        if (settings.seeds().size() == 1) {
            d.type = TopologyType.SINGLE;
        } else {
            d.remove(sd.address());
        }
    }

    private static void updateRSWithoutPrimary(TopologyDraft d, ServerDescription sd) {
        if (d.setName == null) {
            d.setName = sd.setName();
        } else if (!d.setName.equals(sd.setName())) {
            d.remove(sd.address());
            return;
        }
        addMembers(d, sd);
        markPossiblePrimary(d, sd);
        if (sd.me() != null && !sd.address().equals(sd.me())) {
            d.remove(sd.address());
        }
    }

    private static void updateRSWithPrimaryFromMember(TopologyDraft d, ServerDescription sd) {
        if (!Objects.equals(d.setName, sd.setName()) || (sd.me() != null && !sd.address().equals(sd.me()))) {
            d.remove(sd.address());
            d.checkIfHasPrimary();
            return;
        }
        d.checkIfHasPrimary();
        if (d.type == TopologyType.REPLICA_SET_NO_PRIMARY) {
            markPossiblePrimary(d, sd);
        }
    }

    private static void updateRSFromPrimary(TopologyDraft d, ServerDescription sd) {
        if (d.setName == null) {
            d.setName = sd.setName();
        } else if (!d.setName.equals(sd.setName())) {
            d.remove(sd.address());
            d.checkIfHasPrimary();
            return;
        }
        if (isStalePrimary(d, sd)) {
            d.markUnknown(sd.address(), "primary marked stale due to electionId/setVersion mismatch, "
                    + tuple(sd.electionId(), sd.setVersion()) + " is stale compared to "
                    + tuple(d.maxElectionId, d.maxSetVersion));
            d.checkIfHasPrimary();
            return;
        }
        for (ServerDescription other : new ArrayList<>(d.servers.values())) {
            if (!other.address().equals(sd.address()) && other.type() == ServerType.RS_PRIMARY) {
                d.markUnknown(other.address(), "primary marked stale due to discovery of newer primary " + sd.address());
                d.invalidatedPrimaries.add(other.address());
            }
        }
        addMembers(d, sd);
        for (ServerAddress a : new ArrayList<>(d.servers.keySet())) {
            if (!sd.listsMember(a)) {
                d.remove(a);
            }
        }
        d.checkIfHasPrimary();
    }

    /**
     * Decides whether a primary is stale by its (electionId, setVersion), updating the topology's maximum when not.
     * From wire version 17 (MongoDB 6.0) electionId is compared first; before, setVersion was.
     */
    private static boolean isStalePrimary(TopologyDraft d, ServerDescription sd) {
        if (sd.maxWireVersion() >= 17) {
            int byElection = compareNullsFirst(sd.electionId(), d.maxElectionId);
            if (byElection > 0 || (byElection == 0 && compareNullsFirst(sd.setVersion(), d.maxSetVersion) >= 0)) {
                d.maxElectionId = sd.electionId();
                d.maxSetVersion = sd.setVersion();
                return false;
            }
            return true;
        }
        if (sd.setVersion() != null && sd.electionId() != null) {
            if (d.maxSetVersion != null && d.maxElectionId != null
                    && (d.maxSetVersion > sd.setVersion()
                    || (d.maxSetVersion.equals(sd.setVersion()) && d.maxElectionId.compareTo(sd.electionId()) > 0))) {
                return true;
            }
            d.maxElectionId = sd.electionId();
        }
        if (sd.setVersion() != null && (d.maxSetVersion == null || sd.setVersion() > d.maxSetVersion)) {
            d.maxSetVersion = sd.setVersion();
        }
        return false;
    }

    private static <T extends Comparable<T>> int compareNullsFirst(T a, T b) {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        return b == null ? 1 : a.compareTo(b);
    }

    private static String tuple(ObjectId electionId, Integer setVersion) {
        return "{electionId: " + electionId + ", setVersion: " + setVersion + "}";
    }

    private static void addMembers(TopologyDraft d, ServerDescription sd) {
        for (List<ServerAddress> list : List.of(sd.hosts(), sd.passives(), sd.arbiters())) {
            for (ServerAddress a : list) {
                d.addUnknownIfAbsent(a);
            }
        }
    }

    private static void markPossiblePrimary(TopologyDraft d, ServerDescription sd) {
        if (sd.primary() == null) {
            return;
        }
        ServerDescription candidate = d.servers.get(sd.primary());
        if (candidate != null && candidate.type() == ServerType.UNKNOWN) {
            d.servers.put(candidate.address(), candidate.withType(ServerType.POSSIBLE_PRIMARY));
        }
    }
}

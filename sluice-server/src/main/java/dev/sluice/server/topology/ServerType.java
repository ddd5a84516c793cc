package dev.sluice.server.topology;

/** What a server is, as judged from its last hello reply (SDAM "ServerType"). */
public enum ServerType {
    STANDALONE("Standalone"),
    MONGOS("Mongos"),
    /** Not yet checked, but a secondary names it as primary. Not available, like {@link #UNKNOWN}. */
    POSSIBLE_PRIMARY("PossiblePrimary"),
    RS_PRIMARY("RSPrimary"),
    RS_SECONDARY("RSSecondary"),
    RS_ARBITER("RSArbiter"),
    /** A replica set member that is hidden, starting up or recovering. */
    RS_OTHER("RSOther"),
    /** A member of no initialized set, or shunned from its set ({@code isreplicaset: true}). */
    RS_GHOST("RSGhost"),
    LOAD_BALANCER("LoadBalancer"),
    UNKNOWN("Unknown");

    private final String specName;

    ServerType(String specName) {
        this.specName = specName;
    }

    /** @return the name the SDAM specification uses, for example {@code "RSPrimary"} */
    public String specName() {
        return specName;
    }

    /**
     * @param name a specification name such as {@code "RSSecondary"}
     * @return the type
     * @throws IllegalArgumentException for an unknown name
     */
    public static ServerType fromSpecName(String name) {
        for (ServerType t : values()) {
            if (t.specName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown server type: " + name);
    }

    /** @return true for the types application data can be read from (Mongos, RSPrimary, RSSecondary, Standalone, LoadBalancer) */
    public boolean isDataBearing() {
        return this == MONGOS || this == RS_PRIMARY || this == RS_SECONDARY || this == STANDALONE
                || this == LOAD_BALANCER;
    }

    /** @return false for Unknown and PossiblePrimary, true otherwise (server selection's "available") */
    public boolean isAvailable() {
        return this != UNKNOWN && this != POSSIBLE_PRIMARY;
    }

    /** @return true for the replica set member types (primary, secondary, arbiter, other, ghost) */
    public boolean isReplicaSetMember() {
        return this == RS_PRIMARY || this == RS_SECONDARY || this == RS_ARBITER || this == RS_OTHER
                || this == RS_GHOST;
    }
}

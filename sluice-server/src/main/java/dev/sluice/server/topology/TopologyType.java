package dev.sluice.server.topology;

/** The kind of deployment Sluice believes its upstream is (SDAM "TopologyType"). */
public enum TopologyType {
    /** A direct connection to one server of any type. */
    SINGLE("Single"),
    REPLICA_SET_NO_PRIMARY("ReplicaSetNoPrimary"),
    REPLICA_SET_WITH_PRIMARY("ReplicaSetWithPrimary"),
    /** One or more mongos. */
    SHARDED("Sharded"),
    /** One load balancer in front of mongos; not monitored. */
    LOAD_BALANCED("LoadBalanced"),
    /** Not yet discovered. */
    UNKNOWN("Unknown");

    private final String specName;

    TopologyType(String specName) {
        this.specName = specName;
    }

    /** @return the name the SDAM specification uses, for example {@code "ReplicaSetWithPrimary"} */
    public String specName() {
        return specName;
    }

    /**
     * @param name a specification name such as {@code "Sharded"}
     * @return the type
     * @throws IllegalArgumentException for an unknown name
     */
    public static TopologyType fromSpecName(String name) {
        for (TopologyType t : values()) {
            if (t.specName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topology type: " + name);
    }

    /** @return true for ReplicaSetNoPrimary and ReplicaSetWithPrimary */
    public boolean isReplicaSet() {
        return this == REPLICA_SET_NO_PRIMARY || this == REPLICA_SET_WITH_PRIMARY;
    }
}

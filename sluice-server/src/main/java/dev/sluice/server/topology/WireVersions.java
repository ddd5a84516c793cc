package dev.sluice.server.topology;

/**
 * The wire protocol versions Sluice speaks to its upstream: MongoDB 4.2 (wire 8) to 8.0 (wire 25), the range of
 * the Java driver Sluice builds on. A server outside it makes the topology incompatible and selection fails.
 */
public final class WireVersions {

    /** Oldest wire version supported (MongoDB 4.2). */
    public static final int MIN = 8;
    /** Newest wire version known (MongoDB 8.0). Newer servers still accept it. */
    public static final int MAX = 25;

    private WireVersions() {
    }

    /**
     * @param s a server description
     * @return why the server is incompatible, or null when it is compatible (Unknown and LoadBalancer always are)
     */
    static String incompatibility(ServerDescription s) {
        if (s.type() == ServerType.UNKNOWN || s.type() == ServerType.POSSIBLE_PRIMARY
                || s.type() == ServerType.LOAD_BALANCER) {
            return null;
        }
        if (s.minWireVersion() > MAX) {
            return "Server at " + s.address() + " requires wire version " + s.minWireVersion()
                    + ", but this version of Sluice only supports up to " + MAX + ".";
        }
        if (s.maxWireVersion() < MIN) {
            return "Server at " + s.address() + " reports wire version " + s.maxWireVersion()
                    + ", but this version of Sluice requires at least " + MIN + " (MongoDB 4.2).";
        }
        return null;
    }
}

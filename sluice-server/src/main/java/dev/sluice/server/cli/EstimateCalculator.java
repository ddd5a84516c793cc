package dev.sluice.server.cli;

/**
 * The connection arithmetic of MongoDB's drivers. Per client and node: a pooled driver holds its
 * pool plus one monitoring connection (polling) or two (streaming: monitor + RTT); a single-threaded
 * driver holds one connection per node for everything. Through Sluice the cluster sees only Sluice's
 * own pools and monitors, however many clients there are.
 */
public final class EstimateCalculator {
    private EstimateCalculator() {
    }

    public static Estimate estimate(EstimateInput in) {
        int perNode = perClientPerNode(in.driver(), in.poolSize(), in.monitoring());
        int perClient = Math.multiplyExact(perNode, in.nodes());
        long total = (long) perClient * in.clients();
        long reachedAt = in.limit() > 0 ? ceilDiv(in.limit(), perClient) : 0;
        int sluicePerNode = in.sluicePoolSize() + in.sluiceMonitoring().connectionsPerNode();
        long throughSluice = (long) sluicePerNode * in.nodes() * in.sluiceInstances();
        // To its clients Sluice is one endpoint: each client's pool + monitoring (router port), or its pool alone
        // (load-balanced port: drivers with loadBalanced=true do not monitor), once.
        long incoming = (long) in.sluiceFace().clientConnections(in.driver(), in.poolSize(), in.monitoring())
                * in.clients();
        return new Estimate(in, perClient, total, in.limit(), reachedAt, sluicePerNode, throughSluice, incoming);
    }

    static int perClientPerNode(DriverKind driver, int poolSize, MonitoringMode monitoring) {
        return driver == DriverKind.SINGLE ? 1 : poolSize + monitoring.connectionsPerNode();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

package dev.sluice.server.cli;

/**
 * What {@code sluice estimate} is asked about. Validated: each count names its option when wrong.
 *
 * @param nodes            data-bearing nodes (hosts) of the cluster, >= 1
 * @param clients          application clients (driver instances: processes, functions), >= 1
 * @param poolSize         the pool each client fills (maxPoolSize at peak), >= 1
 * @param driver           pooled or single-threaded driver
 * @param monitoring       the clients' serverMonitoringMode
 * @param limit            the cluster's connection limit, 0 for none
 * @param sluicePoolSize   Sluice's upstream maxPoolSize per node, >= 1
 * @param sluiceMonitoring Sluice's own serverMonitoringMode
 * @param sluiceInstances  Sluice processes in front of the cluster, >= 1
 * @param sluiceFace       the Sluice port the clients use: router, or load-balanced (no monitoring connections)
 */
public record EstimateInput(int nodes, int clients, int poolSize, DriverKind driver, MonitoringMode monitoring,
                            long limit, int sluicePoolSize, MonitoringMode sluiceMonitoring, int sluiceInstances,
                            SluiceFace sluiceFace) {

    /** Clients on Sluice's router port. */
    public EstimateInput(int nodes, int clients, int poolSize, DriverKind driver, MonitoringMode monitoring,
                         long limit, int sluicePoolSize, MonitoringMode sluiceMonitoring, int sluiceInstances) {
        this(nodes, clients, poolSize, driver, monitoring, limit, sluicePoolSize, sluiceMonitoring, sluiceInstances,
                SluiceFace.ROUTER);
    }
    public EstimateInput {
        atLeast("--nodes", nodes, 1);
        atLeast("--clients", clients, 1);
        atLeast("--pool-size", poolSize, 1);
        atLeast("--limit", limit, 0);
        atLeast("--sluice-pool-size", sluicePoolSize, 1);
        atLeast("--sluice-instances", sluiceInstances, 1);
        sluiceFace = sluiceFace == null ? SluiceFace.ROUTER : sluiceFace;
    }

    private static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("Invalid value for option '" + option + "': " + value
                    + " (expected: >= " + min + ")");
        }
    }
}

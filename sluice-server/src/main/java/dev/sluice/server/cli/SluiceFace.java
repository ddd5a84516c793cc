package dev.sluice.server.cli;

import java.util.Locale;

/**
 * Which of Sluice's client connectors the clients use: the router port (drivers in their usual mode: pool plus
 * monitoring connections) or the load-balanced port (drivers with {@code loadBalanced=true}: the pool only).
 */
public enum SluiceFace {
    /** {@code --listen}: Sluice is a mongos to the driver, which monitors it. */
    ROUTER,
    /** {@code --load-balanced-port}: Sluice is a mongos behind a load balancer; the driver does not monitor it. */
    LOAD_BALANCED;

    /** The connections one pooled client opens to one Sluice endpoint. */
    int clientConnections(DriverKind driver, int poolSize, MonitoringMode monitoring) {
        if (driver == DriverKind.SINGLE) {
            return 1;
        }
        return this == LOAD_BALANCED ? poolSize : poolSize + monitoring.connectionsPerNode();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return label();
    }
}

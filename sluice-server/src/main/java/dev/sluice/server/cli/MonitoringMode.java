package dev.sluice.server.cli;

import java.util.Locale;

/** serverMonitoringMode: how many monitoring connections a pooled driver holds per host. */
public enum MonitoringMode {
    /** Polling hello: one monitoring connection per host. */
    POLL(1),
    /** Streaming hello (MongoDB 4.4+): the monitoring connection plus one for RTT measurement. */
    STREAM(2);

    private final int connectionsPerNode;

    MonitoringMode(int connectionsPerNode) {
        this.connectionsPerNode = connectionsPerNode;
    }

    public int connectionsPerNode() {
        return connectionsPerNode;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}

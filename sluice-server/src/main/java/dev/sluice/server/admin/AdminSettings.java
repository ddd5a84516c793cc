package dev.sluice.server.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * What the admin commands need to know about the running server.
 *
 * @param maxIncomingConnections the mongodb connector's limit (serverStatus {@code connections.available}); >= 1
 * @param version                the version Sluice reports (serverStatus {@code version})
 * @param host                   the host name Sluice reports (serverStatus {@code host}), "name:port"
 * @param startTime              when the server started (serverStatus {@code uptime})
 */
public record AdminSettings(int maxIncomingConnections, String version, String host, Instant startTime) {
    public AdminSettings {
        if (maxIncomingConnections < 1) {
            throw new IllegalArgumentException("maxIncomingConnections: " + maxIncomingConnections
                    + " (expected: >= 1)");
        }
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startTime, "startTime");
    }
}

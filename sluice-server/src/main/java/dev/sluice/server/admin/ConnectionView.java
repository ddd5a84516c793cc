package dev.sluice.server.admin;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.server.registry.ConnectionEntry;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * One row of {@code listConnections} and {@code GET /api/connections}: Neo4j's dbms.listConnections
 * columns first, then Sluice's extras. Field names are part of the public interface (DESIGN.md).
 */
@JsonPropertyOrder({"connectionId", "connectTime", "connector", "username", "userAgent", "serverAddress",
        "clientAddress", "status", "appName", "driver", "opCount", "bytesIn", "bytesOut", "currentOp",
        "currentOpRunningMillis", "pinnedHost", "instance"})
public record ConnectionView(String connectionId, String connectTime, String connector, String username,
                             String userAgent, String serverAddress, String clientAddress, String status,
                             String appName, String driver, long opCount, long bytesIn, long bytesOut,
                             String currentOp, long currentOpRunningMillis, String pinnedHost,
                             @com.fasterxml.jackson.annotation.JsonInclude(
                                     com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String instance) {

    /** ISO-8601, UTC, millisecond precision: {@code 2024-05-01T09:30:00.000Z}. */
    static final DateTimeFormatter CONNECT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A consistent-enough copy of a live entry; {@code nowNanos} is on the entry's nano clock. */
    public static ConnectionView of(ConnectionEntry entry, long nowNanos) {
        return of(entry, nowNanos, new RowFormat());
    }

    /** As {@link #of(ConnectionEntry, long)}, one row of a listing whose rows share {@code format}. */
    static ConnectionView of(ConnectionEntry entry, long nowNanos, RowFormat format) {
        return new ConnectionView(entry.connectionId(), format.connectTime(entry.connectTimeMillis()),
                entry.connector(), entry.username(), entry.userAgent(), format.address(entry.serverAddressValue()),
                entry.clientAddress(), entry.status().label(), entry.appName(), entry.driver(),
                entry.opCount(), entry.bytesIn(), entry.bytesOut(), entry.currentOp(),
                TimeUnit.NANOSECONDS.toMillis(entry.currentOpRunningNanos(nowNanos)), entry.pinnedHost(), null);
    }

    /** The same row, marked as held by the fleet instance {@code id} (fleet listings only). */
    public ConnectionView onInstance(String id) {
        return new ConnectionView(connectionId, connectTime, connector, username, userAgent, serverAddress,
                clientAddress, status, appName, driver, opCount, bytesIn, bytesOut, currentOp,
                currentOpRunningMillis, pinnedHost, id);
    }
}

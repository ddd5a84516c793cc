package dev.sluice.server.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the admin commands need to know about the running server, and their bounds.
 *
 * @param maxIncomingConnections the mongodb connector's limit (serverStatus {@code connections.available}); >= 1
 * @param version                the version Sluice reports (serverStatus {@code version})
 * @param host                   the host name Sluice reports (serverStatus {@code host}), "name:port"
 * @param startTime              when the server started (serverStatus {@code uptime})
 * @param maxAdminIds            most elements one admin command may list: killConnections' ids,
 *                               dropConnections' hostAndPort, killCursors' cursors, a filter's
 *                               {@code $in}/{@code $nin} (LimitSettings.maxAdminIds; 1..10,000,000)
 * @param maxQueuedCommands      admin commands that may wait for the admin thread; past it a command is
 *                               refused with code 462 (1..100,000)
 * @param maxOpenCursors         listConnections cursors open at once, over every connection; each holds a
 *                               snapshot of the rows (1..100,000)
 * @param cursorTimeout          an idle listConnections cursor is closed after this, as mongod's
 *                               cursorTimeoutMillis (10 minutes by default; > 0)
 */
public record AdminSettings(int maxIncomingConnections, String version, String host, Instant startTime,
                            int maxAdminIds, int maxQueuedCommands, int maxOpenCursors, Duration cursorTimeout) {
    public static final int DEFAULT_MAX_ADMIN_IDS = 100_000;
    public static final int DEFAULT_MAX_QUEUED_COMMANDS = 64;
    public static final int DEFAULT_MAX_OPEN_CURSORS = 32;
    public static final Duration DEFAULT_CURSOR_TIMEOUT = Duration.ofMinutes(10);

    public AdminSettings {
        if (maxIncomingConnections < 1) {
            throw new IllegalArgumentException("maxIncomingConnections: " + maxIncomingConnections
                    + " (expected: >= 1)");
        }
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startTime, "startTime");
        check("maxAdminIds", maxAdminIds, 10_000_000);
        check("maxQueuedCommands", maxQueuedCommands, 100_000);
        check("maxOpenCursors", maxOpenCursors, 100_000);
        Objects.requireNonNull(cursorTimeout, "cursorTimeout");
        if (cursorTimeout.isNegative() || cursorTimeout.isZero()) {
            throw new IllegalArgumentException("cursorTimeout: " + cursorTimeout + " (expected: > 0)");
        }
    }

    /** With the default bounds. */
    public AdminSettings(int maxIncomingConnections, String version, String host, Instant startTime) {
        this(maxIncomingConnections, version, host, startTime, DEFAULT_MAX_ADMIN_IDS);
    }

    /** With the given maxAdminIds and the other bounds at their defaults. */
    public AdminSettings(int maxIncomingConnections, String version, String host, Instant startTime,
                         int maxAdminIds) {
        this(maxIncomingConnections, version, host, startTime, maxAdminIds, DEFAULT_MAX_QUEUED_COMMANDS,
                DEFAULT_MAX_OPEN_CURSORS, DEFAULT_CURSOR_TIMEOUT);
    }

    private static void check(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: 1.." + max + ")");
        }
    }
}

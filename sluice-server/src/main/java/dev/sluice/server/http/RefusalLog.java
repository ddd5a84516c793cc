package dev.sluice.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Rate-limits the WARN line about connections refused past {@code httpMaxConnections}: at most one
 * line per {@link #INTERVAL}, saying how many were refused since the previous line (a flood of
 * refused connections must not become a flood of log lines). Thread-safe: connections are
 * accepted on several event loops.
 */
final class RefusalLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Clock clock;
    private Instant lastLine;
    private long unreported;

    RefusalLog(Clock clock) {
        this.clock = clock;
    }

    /** Counts one refused connection; returns the line to log now, or null when one was logged less than INTERVAL ago. */
    synchronized String refused(int maxConnections) {
        unreported++;
        Instant now = clock.instant();
        if (lastLine != null && now.isBefore(lastLine.plus(INTERVAL))) {
            return null;
        }
        String line = "[http] refused " + unreported + (unreported == 1 ? " connection" : " connections")
                + (lastLine == null ? "" : " in the last " + Duration.between(lastLine, now).toSeconds() + " s")
                + ": " + maxConnections + " HTTP connections already open (httpMaxConnections=" + maxConnections
                + "; raise it in the YAML configuration if these clients are legitimate)";
        lastLine = now;
        unreported = 0;
        return line;
    }
}

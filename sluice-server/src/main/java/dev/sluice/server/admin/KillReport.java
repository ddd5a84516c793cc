package dev.sluice.server.admin;

import java.util.List;

/**
 * The outcome of a kill request: one result per id asked for, in the order asked, and what is left
 * to do once the reply has reached the caller (killing the caller's own connection, if it asked for
 * that; a no-op otherwise).
 */
public record KillReport(List<KillResult> results, Runnable afterReply) {
    public KillReport {
        results = List.copyOf(results);
    }
}

package dev.sluice.server.admin;

/**
 * One row of {@code killConnections}' results, as Neo4j's dbms.killConnections reports it.
 *
 * @param connectionId the id asked for, as given
 * @param username     the connection's user (null when it never authenticated), "n/a" when not found
 * @param message      {@link #FOUND} or {@link #NOT_FOUND}
 */
public record KillResult(String connectionId, String username, String message) {
    public static final String FOUND = "Connection found";
    public static final String NOT_FOUND = "No connection found with this id";

    static KillResult found(String connectionId, String username) {
        return new KillResult(connectionId, username, FOUND);
    }

    static KillResult notFound(String connectionId) {
        return new KillResult(connectionId, "n/a", NOT_FOUND);
    }

    /** Whether the id named a live connection (and it was killed). */
    public boolean wasFound() {
        return FOUND.equals(message);
    }
}

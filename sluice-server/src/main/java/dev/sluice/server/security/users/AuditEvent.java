package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.Subject;

import java.util.Objects;

/**
 * One security-relevant action, as the audit log records it. Never holds a password.
 *
 * @param who     {@code user@db}, {@link #LOCALHOST_EXCEPTION} or {@link #NOBODY}
 * @param from    the client's address ({@code host:port}), or {@code "n/a"}
 * @param action  what was done: a command name ({@code createUser}), {@code killConnection}, {@code authenticate}...
 * @param target  what it was done to: {@code alice@admin}, a role, a database, a connection id
 * @param outcome {@code "ok"}, or the error ({@code "error 51003 Location51003"})
 */
public record AuditEvent(String who, String from, String action, String target, String outcome) {
    /** Who, for an unauthenticated change made through mongod's localhost exception. */
    public static final String LOCALHOST_EXCEPTION = "localhost exception";
    /** Who, when no one is authenticated and authorization is off. */
    public static final String NOBODY = "n/a";
    public static final String OK = "ok";

    public AuditEvent {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * Who made a request: the authenticated user, else the localhost exception when authorization
     * is on (the only way an unauthenticated change gets through), else {@link #NOBODY}.
     */
    public static String who(Subject callerOrNull, boolean authorizationEnabled) {
        if (callerOrNull != null) {
            return callerOrNull.user().toString();
        }
        return authorizationEnabled ? LOCALHOST_EXCEPTION : NOBODY;
    }

    /** The outcome of a failed command: {@code "error <code> <codeName>"}. */
    public static String error(int code, String codeName) {
        return "error " + code + " " + codeName;
    }
}

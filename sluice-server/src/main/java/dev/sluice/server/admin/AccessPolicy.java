package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;

/**
 * Which connections a caller may see and kill. This is the seam for authorization: today every
 * caller is an administrator ({@link #EVERYONE_IS_ADMIN}); once users authenticate, a policy that
 * lets a non-admin see only connections with its own username (as Neo4j's dbms.listConnections
 * does) plugs in here without touching the commands or the HTTP API.
 */
@FunctionalInterface
public interface AccessPolicy {
    /** Every caller sees and may kill every connection. */
    AccessPolicy EVERYONE_IS_ADMIN = (caller, target) -> true;

    /**
     * @param caller the connection asking (null for an in-process caller with full rights)
     * @param target the connection it would see or kill
     */
    boolean canAccess(ConnectionEntry caller, ConnectionEntry target);

    /** Whether {@code caller} may kill {@code target} (which it can see). Defaults to {@link #canAccess}. */
    default boolean canKill(ConnectionEntry caller, ConnectionEntry target) {
        return canAccess(caller, target);
    }

    /**
     * The caller's rights as a {@link CallerScope}, for another Sluice of the fleet to apply. The default
     * suits {@link #EVERYONE_IS_ADMIN}: everything.
     *
     * @param caller the connection asking (null for an in-process caller with full rights)
     */
    default CallerScope scopeOf(ConnectionEntry caller) {
        return CallerScope.EVERYTHING;
    }
}

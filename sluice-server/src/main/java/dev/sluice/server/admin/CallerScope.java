package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;

/**
 * What a caller may do with connections, detached from the connection it asked on, so that another
 * Sluice of the fleet can apply the same rule on its own connections: everything, or only the
 * connections of one user (by its display name, {@code user} or {@code user@db}), plus whether it
 * may see and kill others'.
 *
 * @param user    the caller's display name; null when not authenticated or for an in-process caller
 * @param seeAll  may see every connection ({@code inprog} on the cluster, or no authentication)
 * @param killAll may kill every connection ({@code killop} on the cluster, or no authentication)
 */
public record CallerScope(String user, boolean seeAll, boolean killAll) {
    /** An in-process caller, or any caller when authentication is off. */
    public static final CallerScope EVERYTHING = new CallerScope(null, true, true);
    /** An unauthenticated caller under authentication: sees nothing. */
    public static final CallerScope NOTHING = new CallerScope(null, false, false);

    /** Whether the caller may see {@code target}. */
    public boolean canSee(ConnectionEntry target) {
        return seeAll || own(target);
    }

    /** Whether the caller may kill {@code target} (which it can see). */
    public boolean canKill(ConnectionEntry target) {
        return canSee(target) && (killAll || own(target));
    }

    private boolean own(ConnectionEntry target) {
        return user != null && user.equals(target.username());
    }
}

package dev.sluice.server.admin;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.security.authz.CommandPrivileges;
import dev.sluice.server.security.authz.Subject;

/**
 * Neo4j's rule for listConnections / killConnection(s) with mongod's actions, when authentication
 * is on: everyone sees and kills their own connections; seeing others' needs {@code inprog} on the
 * cluster, killing them {@code killop}. A connection one may not see is answered as absent.
 * Unauthenticated callers see nothing.
 */
public final class SubjectAccessPolicy implements AccessPolicy {

    @Override
    public boolean canAccess(ConnectionEntry caller, ConnectionEntry target) {
        Subject who = caller.subject();
        if (who == null) {
            return false;
        }
        return own(who, target) || CommandPrivileges.canSeeAll(who.privileges());
    }

    @Override
    public boolean canKill(ConnectionEntry caller, ConnectionEntry target) {
        Subject who = caller.subject();
        if (who == null) {
            return false;
        }
        return own(who, target) || CommandPrivileges.canKillAll(who.privileges());
    }

    @Override
    public CallerScope scopeOf(ConnectionEntry caller) {
        if (caller == null) {
            return CallerScope.EVERYTHING;
        }
        Subject who = caller.subject();
        if (who == null) {
            return CallerScope.NOTHING;
        }
        return new CallerScope(ConnectionEntry.displayName(who.user()), CommandPrivileges.canSeeAll(who.privileges()),
                CommandPrivileges.canKillAll(who.privileges()));
    }

    private static boolean own(Subject who, ConnectionEntry target) {
        Subject theirs = target.subject();
        return theirs != null && theirs.user().equals(who.user());
    }
}

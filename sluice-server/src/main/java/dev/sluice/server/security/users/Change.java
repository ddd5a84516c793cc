package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;

/** One write a user or role management command makes to the user storage. */
public sealed interface Change {
    /** Writes a user: {@code create} inserts (refused when it exists), otherwise replaces. */
    record PutUser(StoredUser user, boolean create) implements Change {
    }

    record DeleteUser(UserName name) implements Change {
    }

    /** Writes a role: {@code create} inserts (refused when it exists), otherwise replaces. */
    record PutRole(RoleDefinition role, boolean create) implements Change {
    }

    record DeleteRole(RoleName name) implements Change {
    }
}

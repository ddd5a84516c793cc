package dev.sluice.server.security.authz;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller, as authorization sees it.
 *
 * @param user       who logged in
 * @param roles      every role held, inherited ones included ({@link ResolvedRoles#roles()})
 * @param privileges the union of those roles' privileges
 */
public record Subject(UserName user, Set<RoleName> roles, PrivilegeSet privileges) {

    public Subject {
        Objects.requireNonNull(user, "user");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(privileges, "privileges");
    }

    /** A subject from a user's resolved roles. */
    public static Subject of(UserName user, ResolvedRoles resolved) {
        return new Subject(user, resolved.roles(), resolved.privileges());
    }
}

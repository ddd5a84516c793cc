package dev.sluice.server.security.authz;

import java.util.Set;

/**
 * A user's roles resolved through the role graph.
 *
 * @param roles      every role held, directly or by inheritance (mongod's "indirect roles")
 * @param privileges the union of all their privileges
 * @param missing    roles named somewhere in the graph that are neither built-in nor defined
 *                   (mongod ignores them; an operator may want to hear about them)
 */
public record ResolvedRoles(Set<RoleName> roles, PrivilegeSet privileges, Set<RoleName> missing) {

    public ResolvedRoles {
        roles = Set.copyOf(roles);
        missing = Set.copyOf(missing);
    }
}

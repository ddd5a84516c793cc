package dev.sluice.server.security.authz;

import java.util.List;
import java.util.Objects;

/**
 * A role: its own privileges and the roles it inherits.
 *
 * @param name       the role
 * @param privileges privileges granted directly
 * @param roles      roles whose privileges it inherits
 */
public record RoleDefinition(RoleName name, List<Privilege> privileges, List<RoleName> roles) {

    public RoleDefinition {
        Objects.requireNonNull(name, "name");
        privileges = List.copyOf(privileges);
        roles = List.copyOf(roles);
    }
}

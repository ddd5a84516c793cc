package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.BuiltinRoles;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.RoleName;

import java.util.ArrayList;
import java.util.List;

/** mongod's checks before a role is granted to a user or a role. */
final class RoleChecks {
    private RoleChecks() {
    }

    /** Every role must be built-in or defined: RoleNotFound names those that are neither. */
    static void rolesExist(UserSnapshot snapshot, List<RoleName> roles) {
        List<RoleName> unknown = new ArrayList<>();
        for (RoleName role : roles) {
            if (!snapshot.roleExists(role)) {
                unknown.add(role);
            }
        }
        if (!unknown.isEmpty()) {
            throw CommandError.roleNotFound(unknown);
        }
    }

    /**
     * Granting {@code rolesToAdd} to {@code role}: not itself, only roles of its own database unless it
     * is an {@code admin} role, only existing roles, and no cycle (a role to add that already
     * inherits {@code role}).
     */
    static void okayToGrantRolesToRole(UserSnapshot snapshot, RoleName role, List<RoleName> rolesToAdd) {
        for (RoleName toAdd : rolesToAdd) {
            if (toAdd.equals(role)) {
                throw CommandError.invalidRoleModification("Cannot grant role " + role + " to itself.");
            }
            if (!role.db().equals(BuiltinRoles.ADMIN) && !toAdd.db().equals(role.db())) {
                throw CommandError.invalidRoleModification("Roles on the '" + role.db()
                        + "' database cannot be granted roles from other databases");
            }
            rolesExist(snapshot, List.of(toAdd));
            if (snapshot.graph().resolve(List.of(toAdd)).roles().contains(role)) {
                throw CommandError.invalidRoleModification("Granting " + toAdd + " to " + role
                        + " would introduce a cycle in the role graph.");
            }
        }
    }

    /** A role outside {@code admin} may only hold privileges on its own database's resources. */
    static void okayToGrantPrivilegesToRole(RoleName role, List<Privilege> privileges) {
        if (role.db().equals(BuiltinRoles.ADMIN)) {
            return;
        }
        for (Privilege privilege : privileges) {
            Resource resource = privilege.resource();
            boolean ownDb = (resource.kind() == Resource.Kind.DATABASE
                    || resource.kind() == Resource.Kind.EXACT_NAMESPACE) && resource.db().equals(role.db());
            if (!ownDb) {
                throw CommandError.invalidRoleModification("Roles on the '" + role.db()
                        + "' database cannot be granted privileges that target other databases or the cluster");
            }
        }
    }

    /** Built-in roles cannot be modified or dropped. */
    static void notBuiltin(RoleName role) {
        if (BuiltinRoles.isBuiltin(role)) {
            throw CommandError.builtinRole(role);
        }
    }
}

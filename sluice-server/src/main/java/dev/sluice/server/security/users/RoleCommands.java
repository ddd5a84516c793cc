package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.BuiltinRoles;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.RoleDefinition;
import dev.sluice.server.security.authz.RoleName;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * createRole, updateRole, dropRole, dropAllRolesFromDatabase, grantRolesToRole,
 * revokeRolesFromRole, grantPrivilegesToRole and revokePrivilegesFromRole, with mongod's checks,
 * replies and errors. Dropping a role first removes it from every user and role holding it, as
 * mongod does.
 */
final class RoleCommands {
    private static final Set<String> CREATE_FIELDS = Set.of("privileges", "roles", "authenticationRestrictions");

    private final UserStore store;

    RoleCommands(UserStore store) {
        this.store = store;
    }

    BsonDocument createRole(BsonDocument command, String db) {
        CommandFields f = new CommandFields("createRole", command, CREATE_FIELDS);
        String role = f.name();
        if (role.isEmpty()) {
            throw CommandError.badValue("Role name must be non-empty");
        }
        if (db.equals("local")) {
            throw CommandError.badValue("Cannot create roles in the local database");
        }
        if (db.equals("$external")) {
            throw CommandError.badValue("Cannot create roles in the $external database");
        }
        RoleName name = NameArgs.roleName(role, db);
        if (BuiltinRoles.isBuiltin(name)) {
            throw CommandError.badValue("Cannot create roles with the same name as a built-in role");
        }
        List<RoleName> roles = NameArgs.roles(f.requiredArray("roles"), db);
        List<Privilege> privileges = NameArgs.privileges(f.requiredArray("privileges"));
        noAuthenticationRestrictions(f);
        RoleChecks.okayToGrantPrivilegesToRole(name, privileges);
        try {
            store.modify(fresh -> {
                RoleChecks.okayToGrantRolesToRole(fresh, name, roles);
                return List.of(new Change.PutRole(new RoleDefinition(name, merge(List.of(), privileges), roles), true));
            });
        } catch (DuplicateIdException e) {
            throw CommandError.location(CommandError.ROLE_ALREADY_EXISTS, "Role \"" + name + "\" already exists");
        }
        return UserAdminCommands.ok();
    }

    BsonDocument updateRole(BsonDocument command, String db) {
        CommandFields f = new CommandFields("updateRole", command, CREATE_FIELDS);
        RoleName name = NameArgs.roleName(f.name(), db);
        if (!f.has("privileges") && !f.has("roles") && !f.has("authenticationRestrictions")) {
            throw CommandError.badValue("Must specify at least one field to update in updateRole");
        }
        RoleChecks.notBuiltin(name);
        List<RoleName> roles = f.has("roles") ? NameArgs.roles(f.requiredArray("roles"), db) : null;
        List<Privilege> privileges = f.has("privileges") ? NameArgs.privileges(f.requiredArray("privileges")) : null;
        noAuthenticationRestrictions(f);
        if (privileges != null) {
            RoleChecks.okayToGrantPrivilegesToRole(name, privileges);
        }
        store.modify(fresh -> {
            RoleDefinition existing = existing(fresh, name);
            if (roles != null) {
                RoleChecks.okayToGrantRolesToRole(fresh, name, roles);
            }
            return List.of(new Change.PutRole(new RoleDefinition(name,
                    privileges == null ? existing.privileges() : merge(List.of(), privileges),
                    roles == null ? existing.roles() : roles), false));
        });
        return UserAdminCommands.ok();
    }

    BsonDocument dropRole(BsonDocument command, String db) {
        CommandFields f = new CommandFields("dropRole", command, Set.of());
        RoleName name = NameArgs.roleName(f.name(), db);
        RoleChecks.notBuiltin(name);
        store.modify(fresh -> {
            existing(fresh, name);
            List<Change> changes = withoutRoles(fresh, name::equals);
            changes.add(new Change.DeleteRole(name));
            return changes;
        });
        return UserAdminCommands.ok();
    }

    /**
     * As mongod: every role of {@code db} (built-in ones included) is pulled from every user and
     * role, then the database's user-defined roles are deleted; {@code n} counts those.
     */
    BsonDocument dropAllRolesFromDatabase(BsonDocument command, String db) {
        new CommandFields("dropAllRolesFromDatabase", command, Set.of());
        List<Change> done = store.modify(fresh -> {
            List<Change> changes = withoutRoles(fresh, role -> role.db().equals(db));
            for (RoleDefinition role : fresh.roles()) {
                if (role.name().db().equals(db)) {
                    changes.add(new Change.DeleteRole(role.name()));
                }
            }
            return changes;
        });
        long n = done.stream().filter(change -> change instanceof Change.DeleteRole).count();
        return new BsonDocument("n", new BsonInt32((int) n)).append("ok", UserAdminCommands.ok().get("ok"));
    }

    BsonDocument grantRolesToRole(BsonDocument command, String db) {
        CommandFields f = new CommandFields("grantRolesToRole", command, Set.of("roles"));
        RoleName name = NameArgs.roleName(f.name(), db);
        List<RoleName> roles = UserCommands.nonEmptyRoles("grantRolesToRole", f, db);
        RoleChecks.notBuiltin(name);
        store.modify(fresh -> {
            RoleDefinition existing = existing(fresh, name);
            RoleChecks.okayToGrantRolesToRole(fresh, name, roles);
            LinkedHashSet<RoleName> held = new LinkedHashSet<>(existing.roles());
            held.addAll(roles);
            return List.of(new Change.PutRole(new RoleDefinition(name, existing.privileges(), List.copyOf(held)),
                    false));
        });
        return UserAdminCommands.ok();
    }

    BsonDocument revokeRolesFromRole(BsonDocument command, String db) {
        CommandFields f = new CommandFields("revokeRolesFromRole", command, Set.of("roles"));
        RoleName name = NameArgs.roleName(f.name(), db);
        List<RoleName> roles = UserCommands.nonEmptyRoles("revokeRolesFromRole", f, db);
        RoleChecks.notBuiltin(name);
        store.modify(fresh -> {
            RoleDefinition existing = existing(fresh, name);
            List<RoleName> held = new ArrayList<>(existing.roles());
            held.removeAll(roles);
            return List.of(new Change.PutRole(new RoleDefinition(name, existing.privileges(), held), false));
        });
        return UserAdminCommands.ok();
    }

    BsonDocument grantPrivilegesToRole(BsonDocument command, String db) {
        return changePrivileges("grantPrivilegesToRole", command, db, true);
    }

    BsonDocument revokePrivilegesFromRole(BsonDocument command, String db) {
        return changePrivileges("revokePrivilegesFromRole", command, db, false);
    }

    private BsonDocument changePrivileges(String commandName, BsonDocument command, String db, boolean grant) {
        CommandFields f = new CommandFields(commandName, command, Set.of("privileges"));
        RoleName name = NameArgs.roleName(f.name(), db);
        BsonArray array = f.requiredArray("privileges");
        if (array.isEmpty()) {
            throw CommandError.badValue("\"" + commandName + "\" command requires a non-empty \"privileges\" array");
        }
        List<Privilege> privileges = NameArgs.privileges(array);
        RoleChecks.notBuiltin(name);
        if (grant) {
            RoleChecks.okayToGrantPrivilegesToRole(name, privileges);
        }
        store.modify(fresh -> {
            RoleDefinition existing = existing(fresh, name);
            List<Privilege> updated = grant ? merge(existing.privileges(), privileges)
                    : remove(existing.privileges(), privileges);
            return List.of(new Change.PutRole(new RoleDefinition(name, updated, existing.roles()), false));
        });
        return UserAdminCommands.ok();
    }

    private static RoleDefinition existing(UserSnapshot snapshot, RoleName name) {
        return snapshot.role(name).orElseThrow(() -> CommandError.roleNotFound(List.of(name)));
    }

    /** Writes removing every role {@code drop} accepts from the users and roles that hold one. */
    private static List<Change> withoutRoles(UserSnapshot snapshot, Predicate<RoleName> drop) {
        List<Change> changes = new ArrayList<>();
        for (StoredUser user : snapshot.users()) {
            if (user.roles().stream().anyMatch(drop)) {
                changes.add(new Change.PutUser(user.withRoles(user.roles().stream().filter(drop.negate()).toList()),
                        false));
            }
        }
        for (RoleDefinition role : snapshot.roles()) {
            if (!drop.test(role.name()) && role.roles().stream().anyMatch(drop)) {
                changes.add(new Change.PutRole(new RoleDefinition(role.name(), role.privileges(),
                        role.roles().stream().filter(drop.negate()).toList()), false));
            }
        }
        return changes;
    }

    /** {@code existing} with {@code added}: actions on a resource already present are merged into it. */
    private static List<Privilege> merge(List<Privilege> existing, List<Privilege> added) {
        Map<Resource, EnumSet<ActionType>> byResource = new LinkedHashMap<>();
        for (Privilege privilege : existing) {
            byResource.computeIfAbsent(privilege.resource(), r -> EnumSet.noneOf(ActionType.class))
                    .addAll(privilege.actions());
        }
        for (Privilege privilege : added) {
            byResource.computeIfAbsent(privilege.resource(), r -> EnumSet.noneOf(ActionType.class))
                    .addAll(privilege.actions());
        }
        List<Privilege> out = new ArrayList<>(byResource.size());
        byResource.forEach((resource, actions) -> out.add(new Privilege(resource, actions)));
        return out;
    }

    /** {@code existing} without {@code removed}'s actions; a privilege left with none is dropped. */
    private static List<Privilege> remove(List<Privilege> existing, List<Privilege> removed) {
        Map<Resource, EnumSet<ActionType>> byResource = new LinkedHashMap<>();
        for (Privilege privilege : existing) {
            byResource.computeIfAbsent(privilege.resource(), r -> EnumSet.noneOf(ActionType.class))
                    .addAll(privilege.actions());
        }
        for (Privilege privilege : removed) {
            EnumSet<ActionType> actions = byResource.get(privilege.resource());
            if (actions != null) {
                actions.removeAll(privilege.actions());
            }
        }
        List<Privilege> out = new ArrayList<>(byResource.size());
        byResource.forEach((resource, actions) -> {
            if (!actions.isEmpty()) {
                out.add(new Privilege(resource, actions));
            }
        });
        return out;
    }

    private static void noAuthenticationRestrictions(CommandFields f) {
        BsonArray restrictions = f.optionalArray("authenticationRestrictions");
        if (restrictions != null && !restrictions.isEmpty()) {
            throw CommandError.badValue("authenticationRestrictions are not supported by Sluice (it could not "
                    + "enforce them); omit the field or pass []");
        }
    }
}

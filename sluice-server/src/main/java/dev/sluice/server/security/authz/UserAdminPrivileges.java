package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.server.security.authz.ActionType.*;

/**
 * Privileges of the user and role management commands, as mongod checks them
 * (user_management_commands_common.cpp): the action on the database the user or role lives in,
 * {@code grantRole}/{@code revokeRole} on the database of every role granted or revoked,
 * {@code changeOwnPassword}/{@code changeOwnCustomData} for oneself, and viewing one's own user and
 * roles without {@code viewUser}/{@code viewRole}.
 */
final class UserAdminPrivileges {
    private UserAdminPrivileges() {
    }

    /** The checks for {@code name}, or null when it is not a user or role management command. */
    static List<AccessCheck> of(String name, BsonDocument command, String db) {
        Resource onDb = Resource.database(db);
        List<AccessCheck> out = new ArrayList<>();
        switch (name) {
            case "createUser":
                out.add(AccessCheck.granted(onDb, CREATE_USER));
                grantRoles(command, db, out);
                restrictions(command, db, out);
                return out;
            case "updateUser":
                updateUser(command, db, out);
                return out;
            case "dropUser":
            case "dropAllUsersFromDatabase":
                out.add(AccessCheck.granted(onDb, DROP_USER));
                return out;
            case "grantRolesToUser":
            case "grantRolesToRole":
                grantRoles(command, db, out);
                return out;
            case "revokeRolesFromUser":
            case "revokeRolesFromRole":
                for (RoleName role : CommandArgs.roles(command.get("roles"), "roles", db)) {
                    out.add(AccessCheck.granted(Resource.database(role.db()), REVOKE_ROLE));
                }
                return out;
            case "usersInfo":
                usersInfo(command.get(name), db, out);
                return out;
            case "createRole":
                out.add(AccessCheck.granted(onDb, CREATE_ROLE));
                grantRoles(command, db, out);
                privileges(command, PrivilegeChange.GRANT, out);
                restrictions(command, db, out);
                return out;
            case "updateRole":
                out.add(AccessCheck.granted(Resource.anyNormal(), REVOKE_ROLE));
                if (command.containsKey("roles")) {
                    grantRoles(command, db, out);
                }
                if (command.containsKey("privileges")) {
                    privileges(command, PrivilegeChange.GRANT, out);
                }
                restrictions(command, db, out);
                return out;
            case "dropRole":
            case "dropAllRolesFromDatabase":
                out.add(AccessCheck.granted(onDb, DROP_ROLE));
                return out;
            case "grantPrivilegesToRole":
                privileges(command, PrivilegeChange.GRANT, out);
                return out;
            case "revokePrivilegesFromRole":
                privileges(command, PrivilegeChange.REVOKE, out);
                return out;
            case "rolesInfo":
                rolesInfo(command.get(name), db, out);
                return out;
            case "invalidateUserCache":
                out.add(AccessCheck.granted(Resource.cluster(), INVALIDATE_USER_CACHE));
                return out;
            default:
                return null;
        }
    }

    private enum PrivilegeChange { GRANT, REVOKE }

    private static void grantRoles(BsonDocument command, String db, List<AccessCheck> out) {
        BsonValue roles = command.get("roles");
        if (roles == null) {
            throw new MalformedCommand("roles: missing (expected: an array of roles)");
        }
        for (RoleName role : CommandArgs.roles(roles, "roles", db)) {
            out.add(AccessCheck.granted(Resource.database(role.db()), GRANT_ROLE));
        }
    }

    private static void restrictions(BsonDocument command, String db, List<AccessCheck> out) {
        if (command.containsKey("authenticationRestrictions")) {
            out.add(AccessCheck.granted(Resource.database(db), SET_AUTHENTICATION_RESTRICTION));
        }
    }

    private static void updateUser(BsonDocument command, String db, List<AccessCheck> out) {
        UserName user = new UserName(CommandArgs.string(command, "updateUser"), db);
        Resource onDb = Resource.database(db);
        if (command.containsKey("pwd") || command.containsKey("mechanisms")) {
            out.add(AccessCheck.anyOf(
                    AccessCheck.allOf(List.of(new AccessCheck.IsUser(user),
                            AccessCheck.granted(onDb, CHANGE_OWN_PASSWORD))),
                    AccessCheck.granted(onDb, CHANGE_PASSWORD)));
        }
        if (command.containsKey("customData")) {
            out.add(AccessCheck.anyOf(
                    AccessCheck.allOf(List.of(new AccessCheck.IsUser(user),
                            AccessCheck.granted(onDb, CHANGE_OWN_CUSTOM_DATA))),
                    AccessCheck.granted(onDb, CHANGE_CUSTOM_DATA)));
        }
        if (command.containsKey("roles")) {
            // Setting the roles array may revoke anything: mongod asks for revokeRole everywhere.
            out.add(AccessCheck.granted(Resource.anyNormal(), REVOKE_ROLE));
            grantRoles(command, db, out);
        }
        restrictions(command, db, out);
    }

    private static void usersInfo(BsonValue arg, String db, List<AccessCheck> out) {
        if (arg.isNumber() && arg.asNumber().doubleValue() == 1) {
            out.add(AccessCheck.granted(Resource.database(db), VIEW_USER));
        } else if (arg.isDocument() && arg.asDocument().containsKey("forAllDBs")) {
            out.add(AccessCheck.granted(Resource.cluster(), VIEW_USER));
        } else if (arg.isArray()) {
            for (BsonValue element : arg.asArray()) {
                out.add(viewUser(userName(element, db)));
            }
        } else {
            out.add(viewUser(userName(arg, db)));
        }
    }

    private static AccessCheck viewUser(UserName user) {
        return AccessCheck.anyOf(new AccessCheck.IsUser(user),
                AccessCheck.granted(Resource.database(user.db()), VIEW_USER));
    }

    private static UserName userName(BsonValue value, String db) {
        if (value.isString()) {
            return new UserName(value.asString().getValue(), db);
        }
        if (value.isDocument()) {
            BsonDocument doc = value.asDocument();
            return new UserName(CommandArgs.string(doc, "user"), CommandArgs.string(doc, "db"));
        }
        throw new MalformedCommand("usersInfo: " + value.getBsonType()
                + " (expected: 1, a user name, {user, db}, an array of those, or {forAllDBs: true})");
    }

    private static void rolesInfo(BsonValue arg, String db, List<AccessCheck> out) {
        if (arg.isNumber() && arg.asNumber().doubleValue() == 1) {
            out.add(AccessCheck.granted(Resource.database(db), VIEW_ROLE));
            return;
        }
        List<BsonValue> roles = arg.isArray() ? arg.asArray().getValues() : List.of(arg);
        for (BsonValue value : roles) {
            RoleName role;
            try {
                role = RoleName.fromBson(value, db);
            } catch (IllegalArgumentException e) {
                throw new MalformedCommand("rolesInfo: " + e.getMessage());
            }
            out.add(AccessCheck.anyOf(new AccessCheck.HasRole(role),
                    AccessCheck.granted(Resource.database(role.db()), VIEW_ROLE)));
        }
    }

    /**
     * Granting or revoking a privilege on a database or namespace needs grantRole/revokeRole on that
     * database; on anything wider (cluster, any database, a collection name everywhere), on admin.
     */
    private static void privileges(BsonDocument command, PrivilegeChange change, List<AccessCheck> out) {
        ActionType action = change == PrivilegeChange.GRANT ? GRANT_ROLE : REVOKE_ROLE;
        for (BsonValue value : CommandArgs.array(command.get("privileges"), "privileges")) {
            Privilege privilege;
            try {
                privilege = Privilege.fromBson(CommandArgs.document(value, "privileges element"));
            } catch (IllegalArgumentException e) {
                throw new MalformedCommand(e.getMessage());
            }
            Resource resource = privilege.resource();
            boolean inOneDb = resource.kind() == Resource.Kind.DATABASE
                    || resource.kind() == Resource.Kind.EXACT_NAMESPACE;
            out.add(AccessCheck.granted(Resource.database(inOneDb ? resource.db() : BuiltinRoles.ADMIN), action));
        }
    }
}

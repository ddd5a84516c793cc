package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Role names, user names and privileges as management commands take them, bounded. */
final class NameArgs {
    private NameArgs() {
    }

    /** Roles as commands take them: a string (a role of {@code db}) or {@code {role, db}}; duplicates dropped. */
    static List<RoleName> roles(BsonArray array, String db) {
        UserAdminLimits.checkCount("roles", array.size(), UserAdminLimits.MAX_ROLES_PER_COMMAND,
                "MAX_ROLES_PER_COMMAND");
        LinkedHashSet<RoleName> roles = new LinkedHashSet<>();
        for (BsonValue value : array) {
            roles.add(role(value, db));
        }
        return List.copyOf(roles);
    }

    static RoleName role(BsonValue value, String db) {
        if (value.isString()) {
            return roleName(value.asString().getValue(), db);
        }
        if (value.isDocument()) {
            BsonDocument document = value.asDocument();
            return roleName(field(document, "role"), field(document, "db"));
        }
        throw CommandError.badValue("Role names must be either strings or objects");
    }

    static RoleName roleName(String role, String db) {
        if (role.isEmpty()) {
            throw CommandError.badValue("Role name must be non-empty");
        }
        if (db.isEmpty()) {
            throw CommandError.badValue("Role " + role + ": database name must be non-empty");
        }
        checkName("role", role);
        checkName("database", db);
        return new RoleName(role, db);
    }

    /** A user as usersInfo takes it: a string (a user of {@code db}) or {@code {user, db}}. */
    static UserName user(BsonValue value, String db) {
        String user;
        String userDb;
        if (value.isString()) {
            user = value.asString().getValue();
            userDb = db;
        } else if (value.isDocument()) {
            user = field(value.asDocument(), "user");
            userDb = field(value.asDocument(), "db");
        } else {
            throw CommandError.badValue("User names must be either strings or objects");
        }
        if (user.isEmpty()) {
            throw CommandError.badValue("User document needs 'user' field to be non-empty");
        }
        if (userDb.isEmpty()) {
            throw CommandError.badValue("User " + user + ": database name must be non-empty");
        }
        checkName("user", user);
        checkName("database", userDb);
        return new UserName(user, userDb);
    }

    static List<Privilege> privileges(BsonArray array) {
        UserAdminLimits.checkCount("privileges", array.size(), UserAdminLimits.MAX_PRIVILEGES_PER_COMMAND,
                "MAX_PRIVILEGES_PER_COMMAND");
        List<Privilege> privileges = new ArrayList<>(array.size());
        for (BsonValue value : array) {
            if (!value.isDocument()) {
                throw CommandError.failedToParse("privileges: " + CommandFields.typeName(value.getBsonType())
                        + " (expected: {resource: <document>, actions: <array of strings>})");
            }
            try {
                privileges.add(Privilege.fromBson(value.asDocument()));
            } catch (IllegalArgumentException e) {
                throw CommandError.failedToParse(e.getMessage());
            }
        }
        return privileges;
    }

    private static String field(BsonDocument document, String name) {
        BsonValue value = document.get(name);
        if (value == null || !value.isString()) {
            throw CommandError.badValue((name.equals("user") ? "user" : name.equals("role") ? "role" : "user or role")
                    + " name must contain a string field named: " + name);
        }
        return value.asString().getValue();
    }

    private static void checkName(String what, String name) {
        if (name.indexOf('\0') >= 0) {
            throw CommandError.badValue(what + " names cannot contain NULL characters");
        }
        UserAdminLimits.checkName(what, name);
    }
}

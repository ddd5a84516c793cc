package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * createUser, updateUser, dropUser, dropAllUsersFromDatabase, grantRolesToUser and
 * revokeRolesFromUser, with mongod's checks, replies and errors. Authorization is the caller's.
 */
final class UserCommands {
    private static final Set<String> CREATE_FIELDS = Set.of("pwd", "customData", "roles", "digestPassword",
            "authenticationRestrictions", "mechanisms");

    private final UserStore store;
    private final SecureRandom random;

    UserCommands(UserStore store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    BsonDocument createUser(BsonDocument command, String db) {
        CommandFields f = new CommandFields("createUser", command, CREATE_FIELDS);
        String user = f.name();
        if (db.equals("local")) {
            throw CommandError.badValue("Cannot create users in the local database");
        }
        if (user.indexOf('\0') >= 0) {
            throw CommandError.badValue("Username cannot contain NULL characters");
        }
        String pwd = f.optionalString("pwd");
        if (pwd == null && !db.equals("$external")) {
            throw CommandError.badValue("Must provide a 'pwd' field for all user documents, except those with "
                    + "'$external' as the user's source db");
        }
        if (pwd != null && db.equals("$external")) {
            throw CommandError.badValue("Cannot set the password for users defined on the '$external' database");
        }
        List<ScramMechanism> mechanisms = Credentials.mechanisms(f.optionalArray("mechanisms"));
        if (db.equals("$external") && mechanisms != null) {
            throw CommandError.badValue("mechanisms field must not be set for users defined on the '$external' "
                    + "database (they authenticate with MONGODB-X509: the user name is the certificate's subject)");
        }
        noAuthenticationRestrictions(f);
        BsonDocument customData = customData(f);
        List<RoleName> roles = NameArgs.roles(f.requiredArray("roles"), db);
        if (user.isEmpty()) {
            throw CommandError.badValue("User document needs 'user' field to be non-empty");
        }
        UserAdminLimits.checkName("user", user);
        UserName name = new UserName(user, db);
        // $external users (MONGODB-X509: the name is the client certificate's RFC 2253 subject) have no keys
        Map<ScramMechanism, ScramCredentials> credentials = pwd == null ? Map.of() : Credentials.derive(name, pwd,
                f.flag("digestPassword", true), mechanisms == null ? Credentials.DEFAULT_MECHANISMS : mechanisms,
                random);
        StoredUser created = new StoredUser(name, UUID.randomUUID(), credentials, roles, customData);
        try {
            store.modify(fresh -> {
                RoleChecks.rolesExist(fresh, roles);
                return List.of(new Change.PutUser(created, true));
            });
        } catch (DuplicateIdException e) {
            throw CommandError.location(CommandError.USER_ALREADY_EXISTS, "User \"" + name + "\" already exists");
        }
        return UserAdminCommands.ok();
    }

    BsonDocument updateUser(BsonDocument command, String db) {
        CommandFields f = new CommandFields("updateUser", command, CREATE_FIELDS);
        UserName name = userName(f.name(), db);
        String pwd = f.optionalString("pwd");
        if (pwd == null && !f.has("customData") && !f.has("roles") && !f.has("authenticationRestrictions")
                && !f.has("mechanisms")) {
            throw CommandError.badValue("Must specify at least one field to update in updateUser");
        }
        if (pwd != null && db.equals("$external")) {
            throw CommandError.badValue("Cannot set the password for users defined on the '$external' database");
        }
        List<ScramMechanism> mechanisms = Credentials.mechanisms(f.optionalArray("mechanisms"));
        noAuthenticationRestrictions(f);
        BsonDocument customData = customData(f);
        List<RoleName> roles = f.has("roles") ? NameArgs.roles(f.requiredArray("roles"), db) : null;
        Map<ScramMechanism, ScramCredentials> newCredentials = pwd == null ? null : Credentials.derive(name, pwd,
                f.flag("digestPassword", true), mechanisms == null ? Credentials.DEFAULT_MECHANISMS : mechanisms,
                random);
        store.modify(fresh -> {
            StoredUser user = fresh.user(name).orElseThrow(
                    () -> CommandError.userNotFound("User " + name + " not found"));
            if (newCredentials != null) {
                user = user.withCredentials(newCredentials);
            } else if (mechanisms != null) {
                user = user.withCredentials(keep(user, mechanisms));
            }
            if (customData != null) {
                user = user.withCustomData(customData);
            }
            if (roles != null) {
                RoleChecks.rolesExist(fresh, roles);
                user = user.withRoles(roles);
            }
            return List.of(new Change.PutUser(user, false));
        });
        return UserAdminCommands.ok();
    }

    BsonDocument dropUser(BsonDocument command, String db) {
        CommandFields f = new CommandFields("dropUser", command, Set.of());
        UserName name = userName(f.name(), db);
        store.modify(fresh -> {
            if (fresh.user(name).isEmpty()) {
                throw CommandError.userNotFound("User '" + name + "' not found");
            }
            return List.of(new Change.DeleteUser(name));
        });
        return UserAdminCommands.ok();
    }

    BsonDocument dropAllUsersFromDatabase(BsonDocument command, String db) {
        new CommandFields("dropAllUsersFromDatabase", command, Set.of());
        List<Change> done = store.modify(fresh -> {
            List<Change> drops = new ArrayList<>();
            for (StoredUser user : fresh.users()) {
                if (user.name().db().equals(db)) {
                    drops.add(new Change.DeleteUser(user.name()));
                }
            }
            return drops;
        });
        return new BsonDocument("n", new BsonInt32(done.size())).append("ok", UserAdminCommands.ok().get("ok"));
    }

    BsonDocument grantRolesToUser(BsonDocument command, String db) {
        return changeRoles("grantRolesToUser", command, db, true);
    }

    BsonDocument revokeRolesFromUser(BsonDocument command, String db) {
        return changeRoles("revokeRolesFromUser", command, db, false);
    }

    private BsonDocument changeRoles(String commandName, BsonDocument command, String db, boolean grant) {
        CommandFields f = new CommandFields(commandName, command, Set.of("roles"));
        UserName name = userName(f.name(), db);
        List<RoleName> roles = nonEmptyRoles(commandName, f, db);
        store.modify(fresh -> {
            StoredUser user = fresh.user(name).orElseThrow(() -> CommandError.userNotFound(
                    "Could not find user \"" + name.user() + "\" for db \"" + name.db() + "\""));
            RoleChecks.rolesExist(fresh, roles);
            LinkedHashSet<RoleName> held = new LinkedHashSet<>(user.roles());
            if (grant) {
                held.addAll(roles);
            } else {
                roles.forEach(held::remove);
            }
            return List.of(new Change.PutUser(user.withRoles(List.copyOf(held)), false));
        });
        return UserAdminCommands.ok();
    }

    static List<RoleName> nonEmptyRoles(String commandName, CommandFields f, String db) {
        BsonArray array = f.requiredArray("roles");
        if (array.isEmpty()) {
            throw CommandError.badValue("\"" + commandName + "\" command requires a non-empty \"roles\" array");
        }
        return NameArgs.roles(array, db);
    }

    private static UserName userName(String user, String db) {
        if (user.isEmpty()) {
            throw CommandError.badValue("User document needs 'user' field to be non-empty");
        }
        UserAdminLimits.checkName("user", user);
        return new UserName(user, db);
    }

    private static Map<ScramMechanism, ScramCredentials> keep(StoredUser user, List<ScramMechanism> mechanisms) {
        if (!user.credentials().keySet().containsAll(mechanisms)) {
            throw CommandError.badValue("mechanisms field must be a subset of previously set mechanisms");
        }
        Map<ScramMechanism, ScramCredentials> kept = new EnumMap<>(ScramMechanism.class);
        mechanisms.forEach(mechanism -> kept.put(mechanism, user.credentials().get(mechanism)));
        return kept;
    }

    /** Authentication restrictions are not enforced by Sluice, so they are refused rather than ignored. */
    private static void noAuthenticationRestrictions(CommandFields f) {
        BsonArray restrictions = f.optionalArray("authenticationRestrictions");
        if (restrictions != null && !restrictions.isEmpty()) {
            throw CommandError.badValue("authenticationRestrictions are not supported by Sluice (it could not "
                    + "enforce them); omit the field or pass []");
        }
    }

    private static BsonDocument customData(CommandFields f) {
        BsonDocument customData = f.optionalDocument("customData");
        if (customData != null) {
            int size = new org.bson.RawBsonDocument(customData, new org.bson.codecs.BsonDocumentCodec())
                    .getByteBuffer().remaining();
            if (size > UserAdminLimits.MAX_CUSTOM_DATA_BYTES) {
                throw CommandError.badValue("customData: " + size + " bytes (limit: "
                        + "UserAdminLimits.MAX_CUSTOM_DATA_BYTES = " + UserAdminLimits.MAX_CUSTOM_DATA_BYTES + ")");
            }
        }
        return customData;
    }
}

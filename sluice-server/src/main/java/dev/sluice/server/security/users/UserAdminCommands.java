package dev.sluice.server.security.users;

import dev.sluice.server.client.ErrorReplies;
import dev.sluice.server.security.authz.Subject;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Set;

/**
 * mongod's user and role management commands over a {@link UserStore}: createUser, updateUser,
 * dropUser, dropAllUsersFromDatabase, usersInfo, grantRolesToUser, revokeRolesFromUser, createRole,
 * updateRole, dropRole, dropAllRolesFromDatabase, rolesInfo, grantRolesToRole, revokeRolesFromRole,
 * grantPrivilegesToRole, revokePrivilegesFromRole, and invalidateUserCache (which re-reads the
 * storage at once). Replies and errors are mongod's.
 *
 * <p>The caller has already authorized the command ({@code CommandAuthorizer}); this class does not
 * check again. {@link #execute} blocks on the user storage (run it off the event loops). Every
 * change, done or refused, is recorded in the {@link Audit} log; the password never is.
 */
public final class UserAdminCommands {
    private static final Logger LOG = LoggerFactory.getLogger(UserAdminCommands.class);
    /** Commands that change nothing, so are not audited. */
    private static final Set<String> READS = Set.of("usersInfo", "rolesInfo", "invalidateUserCache");
    private static final Set<String> COMMANDS = Set.of("createUser", "updateUser", "dropUser",
            "dropAllUsersFromDatabase", "usersInfo", "grantRolesToUser", "revokeRolesFromUser", "createRole",
            "updateRole", "dropRole", "dropAllRolesFromDatabase", "rolesInfo", "grantRolesToRole",
            "revokeRolesFromRole", "grantPrivilegesToRole", "revokePrivilegesFromRole", "invalidateUserCache");

    private final UserStore store;
    private final UserCommands users;
    private final RoleCommands roles;
    private final UsersInfo usersInfo;
    private final RolesInfo rolesInfo;
    private final Audit audit;
    private final boolean authorizationEnabled;

    /**
     * @param authorizationEnabled whether auth is on: an unauthenticated change is then audited as
     *                             made through the localhost exception
     */
    public UserAdminCommands(UserStore store, Audit audit, boolean authorizationEnabled, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.users = new UserCommands(store, Objects.requireNonNull(random, "random"));
        this.roles = new RoleCommands(store);
        this.usersInfo = new UsersInfo(store);
        this.rolesInfo = new RolesInfo(store);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.authorizationEnabled = authorizationEnabled;
    }

    /** Whether {@code commandName} is one of the commands this class runs (exact, case-sensitive). */
    public boolean handles(String commandName) {
        return COMMANDS.contains(commandName);
    }

    /**
     * Runs an already authorized command.
     *
     * @param database      the command's {@code $db}
     * @param callerOrNull  the authenticated caller, null when none (auth off, or the localhost exception)
     * @param clientAddress the client's {@code host:port}, for the audit log
     * @return mongod's reply: {@code {ok: 1, ...}} or {@code {ok: 0, errmsg, code, codeName}}
     */
    public BsonDocument execute(String commandName, BsonDocument command, String database, Subject callerOrNull,
                                String clientAddress) {
        BsonDocument reply;
        try {
            reply = dispatch(commandName, command, database);
        } catch (CommandError e) {
            reply = e.toReply();
        } catch (UserStorageException e) {
            reply = ErrorReplies.error(e.code(), e.codeName(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("[users] {} on {} failed unexpectedly", commandName, database, e);
            reply = ErrorReplies.error(1, "InternalError", commandName + " failed: " + e.getClass().getSimpleName());
        }
        if (!READS.contains(commandName)) {
            audit.record(AuditEvent.who(callerOrNull, authorizationEnabled),
                    clientAddress == null ? AuditEvent.NOBODY : clientAddress, commandName,
                    target(commandName, command, database), outcome(reply));
        }
        return reply;
    }

    private BsonDocument dispatch(String commandName, BsonDocument command, String database) {
        switch (commandName) {
            case "createUser": return users.createUser(command, database);
            case "updateUser": return users.updateUser(command, database);
            case "dropUser": return users.dropUser(command, database);
            case "dropAllUsersFromDatabase": return users.dropAllUsersFromDatabase(command, database);
            case "grantRolesToUser": return users.grantRolesToUser(command, database);
            case "revokeRolesFromUser": return users.revokeRolesFromUser(command, database);
            case "usersInfo": return usersInfo.run(command, database);
            case "createRole": return roles.createRole(command, database);
            case "updateRole": return roles.updateRole(command, database);
            case "dropRole": return roles.dropRole(command, database);
            case "dropAllRolesFromDatabase": return roles.dropAllRolesFromDatabase(command, database);
            case "grantRolesToRole": return roles.grantRolesToRole(command, database);
            case "revokeRolesFromRole": return roles.revokeRolesFromRole(command, database);
            case "grantPrivilegesToRole": return roles.grantPrivilegesToRole(command, database);
            case "revokePrivilegesFromRole": return roles.revokePrivilegesFromRole(command, database);
            case "rolesInfo": return rolesInfo.run(command, database);
            case "invalidateUserCache":
                // mongod drops its cache; Sluice re-reads its storage now (other Sluices' changes included).
                new CommandFields(commandName, command, Set.of());
                store.refresh();
                return ok();
            default:
                throw new CommandError(59, "CommandNotFound", "no such command: '" + commandName + "'");
        }
    }

    /** {@code name@db} for a command on one user or role; the database for the drop-all commands. */
    private static String target(String commandName, BsonDocument command, String database) {
        if (commandName.startsWith("dropAll")) {
            return database;
        }
        BsonValue value = command.get(commandName);
        return value != null && value.isString() ? value.asString().getValue() + "@" + database : database;
    }

    private static String outcome(BsonDocument reply) {
        BsonValue ok = reply.get("ok");
        if (ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1) {
            return AuditEvent.OK;
        }
        return AuditEvent.error(reply.getNumber("code").intValue(), reply.getString("codeName").getValue());
    }

    static BsonDocument ok() {
        return new BsonDocument("ok", new BsonDouble(1));
    }
}

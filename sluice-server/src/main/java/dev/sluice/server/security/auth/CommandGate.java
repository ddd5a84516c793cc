package dev.sluice.server.security.auth;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.AuthorizationDecision;
import dev.sluice.server.security.authz.CommandAuthorizer;
import dev.sluice.server.security.authz.CommandPrivileges;
import dev.sluice.server.security.authz.CommandRequirement;
import dev.sluice.server.security.authz.Privilege;
import dev.sluice.server.security.authz.Subject;
import org.bson.BsonDocument;

import java.util.Optional;
import java.util.Set;

/**
 * Authorization of every command a client sends, as mongod / mongos does it, when authentication is
 * on: the caller's privileges (re-read from the user directory, so a role change or a dropped user
 * takes effect at the next command) against what the command requires; unknown commands denied;
 * mongod's localhost exception while no user exists; Sluice's own {@code sluice} database (users and
 * roles) out of every client's reach. Pure and fast: it runs on the event loop for each command.
 */
public final class CommandGate {
    /** Where Sluice keeps its users and roles; no client command may touch it. */
    public static final String RESERVED_DATABASE = "sluice";
    private static final Set<String> LOCALHOST_EXCEPTION = Set.of("createUser", "createRole");

    /** Whether Sluice answers a command itself: (name, command, db). */
    public interface LocalCommandTest {
        boolean isLocal(String name, BsonDocument command, String db);
    }

    private final UserDirectory users;
    private final boolean enabled;
    /** userSource: cluster: Sluice authorizes only the commands it answers itself; null otherwise. */
    private final LocalCommandTest clusterAuthority;

    public CommandGate(UserDirectory users, boolean enabled) {
        this(users, enabled, null);
    }

    private CommandGate(UserDirectory users, boolean enabled, LocalCommandTest clusterAuthority) {
        this.users = users;
        this.enabled = enabled;
        this.clusterAuthority = clusterAuthority;
    }

    /**
     * {@code security.userSource: cluster}: the cluster authorizes what Sluice forwards (each client's backend
     * connections are logged in as its own user), so an authenticated client's forwarded commands pass here;
     * Sluice's own commands ({@code local}) are authorized from the user's privileges in the cluster. A client
     * that has not authenticated gets only what needs no privilege (hello, ping, buildInfo...), as on mongod.
     * There is no localhost exception (users are created in the cluster) and no reserved database.
     */
    public static CommandGate clusterAuthority(UserDirectory users, LocalCommandTest local) {
        return new CommandGate(users, true, java.util.Objects.requireNonNull(local, "local"));
    }

    /** Authentication and authorization are on. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The caller's current subject (re-resolved; null when not authenticated or its user is gone),
     * recorded on the entry.
     */
    public Subject refresh(ConnectionEntry caller) {
        Subject subject = caller.subject();
        if (subject == null) {
            return null;
        }
        Optional<Subject> now = users.subject(subject.user());
        if (now.isEmpty()) {
            caller.subject(null);
            return null;
        }
        if (now.get() != subject) { // subjects are cached per user snapshot: identity says whether it changed
            caller.subject(now.get());
        }
        return now.get();
    }

    /**
     * Null when {@code command} may run, else the error reply (code 13 Unauthorized with mongod's
     * message, or FailedToParse for a malformed command).
     *
     * @param command  the command with any OP_MSG document sequences merged in as arrays
     * @param loopback the client connects from a loopback address (the localhost exception)
     */
    public BsonDocument check(BsonDocument command, String db, ConnectionEntry caller, boolean loopback) {
        if (!enabled) {
            return null;
        }
        command = CommandView.of(command); // its fields read once, for the several lookups below
        Subject subject = refresh(caller);
        String name = command.isEmpty() ? "" : command.getFirstKey();
        if (clusterAuthority != null) {
            if (subject != null && !clusterAuthority.isLocal(name, command, db)) {
                return null; // forwarded as the user: the cluster decides
            }
            AuthorizationDecision decision = CommandAuthorizer.authorize(CommandPrivileges.of(command, db), command, db,
                    Optional.ofNullable(subject));
            return decision instanceof AuthorizationDecision.Denied denied ? denied.toReply() : null;
        }
        if (subject == null && loopback && "admin".equals(db) && LOCALHOST_EXCEPTION.contains(name) && users.isEmpty()) {
            return null; // mongod's localhost exception: the first user (or role) of the deployment
        }
        CommandRequirement requirement = CommandPrivileges.of(command, db);
        if (requirement instanceof CommandRequirement.Authorization authorization && touchesReserved(authorization)) {
            return Authenticator.error(13, "Unauthorized", "not authorized on " + RESERVED_DATABASE + " to execute command "
                    + name + ": the " + RESERVED_DATABASE + " database holds Sluice's users and roles; manage them "
                    + "with createUser, usersInfo, createRole and the other user-management commands");
        }
        AuthorizationDecision decision = CommandAuthorizer.authorize(requirement, command, db, Optional.ofNullable(subject));
        return decision instanceof AuthorizationDecision.Denied denied ? denied.toReply() : null;
    }

    private static boolean touchesReserved(CommandRequirement.Authorization authorization) {
        if (RESERVED_DATABASE.equals(authorization.db())) {
            return true;
        }
        for (Privilege p : authorization.privileges()) {
            if (RESERVED_DATABASE.equals(p.resource().db())) {
                return true;
            }
        }
        return false;
    }
}

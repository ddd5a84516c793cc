package dev.sluice.server.security.authz;

import org.bson.BsonDocument;

import java.util.Optional;

/**
 * Decides whether a caller may run a command, in mongod's order: admin-only commands elsewhere
 * than {@code admin} are refused first; then commands that need authentication refuse an
 * unauthenticated caller ("Command x requires authentication"); then the access check, refused with
 * "not authorized on db to execute command {...}". Unknown commands need {@code anyAction} on
 * {@code anyResource}. Pure and thread-safe.
 *
 * <p>Not decided here: mongod's localhost exception (the first {@code createUser} on a loopback
 * connection with no user yet) and row-level rules ({@link CommandPrivileges#canSeeAll},
 * {@link CommandPrivileges#canKillAll}, cursor ownership), which belong to the caller.
 */
public final class CommandAuthorizer {
    private CommandAuthorizer() {
    }

    /**
     * @param command the command document as received (printed in the refusal)
     * @param db      its {@code $db}
     * @param caller  the authenticated caller, empty before authentication
     */
    public static AuthorizationDecision authorize(BsonDocument command, String db, Optional<Subject> caller) {
        return authorize(CommandPrivileges.of(command, db), command, db, caller);
    }

    /** As {@link #authorize(BsonDocument, String, Optional)} with a requirement already computed. */
    public static AuthorizationDecision authorize(CommandRequirement requirement, BsonDocument command, String db,
                                                  Optional<Subject> caller) {
        if (requirement instanceof CommandRequirement.NoAuthentication) {
            return new AuthorizationDecision.Allowed();
        }
        if (requirement instanceof CommandRequirement.Malformed) {
            return AuthorizationDecision.Denied.failedToParse(((CommandRequirement.Malformed) requirement).reason());
        }
        AccessCheck check;
        if (requirement instanceof CommandRequirement.Authorization) {
            CommandRequirement.Authorization authorization = (CommandRequirement.Authorization) requirement;
            if (authorization.adminOnly() && !BuiltinRoles.ADMIN.equals(db)) {
                return AuthorizationDecision.Denied.unauthorized(UnauthorizedMessage.adminOnly(requirement.command()));
            }
            check = authorization.check();
        } else {
            check = ((CommandRequirement.UnknownCommand) requirement).check();
        }
        if (caller.isEmpty()) {
            return AuthorizationDecision.Denied.unauthorized(
                    UnauthorizedMessage.requiresAuthentication(requirement.command()));
        }
        if (!check.test(caller.get())) {
            return AuthorizationDecision.Denied.unauthorized(UnauthorizedMessage.notAuthorized(db, command));
        }
        return new AuthorizationDecision.Allowed();
    }
}

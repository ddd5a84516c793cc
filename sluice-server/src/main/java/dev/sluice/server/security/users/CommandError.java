package dev.sluice.server.security.users;

import dev.sluice.server.client.ErrorReplies;
import dev.sluice.server.security.authz.RoleName;
import org.bson.BsonDocument;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A user or role management command refused, with mongod's code, codeName and message. Thrown
 * while parsing or planning a command; {@link UserAdminCommands} turns it into the reply.
 */
final class CommandError extends RuntimeException {
    static final int BAD_VALUE = 2;
    static final int FAILED_TO_PARSE = 9;
    static final int USER_NOT_FOUND = 11;
    static final int TYPE_MISMATCH = 14;
    static final int ILLEGAL_OPERATION = 20;
    static final int ROLE_NOT_FOUND = 31;
    static final int INVALID_ROLE_MODIFICATION = 49;
    static final int ROLE_ALREADY_EXISTS = 51002;
    static final int USER_ALREADY_EXISTS = 51003;
    static final int MISSING_FIELD = 40414;
    static final int UNKNOWN_FIELD = 40415;

    private final int code;
    private final String codeName;

    CommandError(int code, String codeName, String message) {
        super(message, null, false, false);
        this.code = code;
        this.codeName = codeName;
    }

    static CommandError badValue(String message) {
        return new CommandError(BAD_VALUE, "BadValue", message);
    }

    static CommandError failedToParse(String message) {
        return new CommandError(FAILED_TO_PARSE, "FailedToParse", message);
    }

    static CommandError userNotFound(String message) {
        return new CommandError(USER_NOT_FOUND, "UserNotFound", message);
    }

    static CommandError illegalOperation(String message) {
        return new CommandError(ILLEGAL_OPERATION, "IllegalOperation", message);
    }

    /** mongod's "Could not find role: a@db" / "Could not find roles: a@db, b@db". */
    static CommandError roleNotFound(Collection<RoleName> roles) {
        return new CommandError(ROLE_NOT_FOUND, "RoleNotFound", "Could not find role" + (roles.size() > 1 ? "s" : "")
                + ": " + roles.stream().map(RoleName::toString).collect(Collectors.joining(", ")));
    }

    static CommandError invalidRoleModification(String message) {
        return new CommandError(INVALID_ROLE_MODIFICATION, "InvalidRoleModification", message);
    }

    static CommandError builtinRole(RoleName role) {
        return invalidRoleModification(role + " is a built-in role and cannot be modified.");
    }

    /** A mongod location code: codeName {@code Location<code>}. */
    static CommandError location(int code, String message) {
        return new CommandError(code, "Location" + code, message);
    }

    int code() {
        return code;
    }

    String codeName() {
        return codeName;
    }

    BsonDocument toReply() {
        return ErrorReplies.error(code, codeName, getMessage());
    }
}

package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Map;
import java.util.Set;

/**
 * mongod's wording of refusals (code 13), e.g.
 * {@code not authorized on test to execute command { insert: "c", ordered: true, $db: "test" }}.
 * The command is printed as mongod prints it, with passwords replaced by "xxx" (mongod's
 * redactForLogging) and cut at {@value #MAX_COMMAND_CHARS} characters so an error reply stays small.
 */
public final class UnauthorizedMessage {
    /** Longest printed command; mongod prints whole commands, Sluice bounds the reply. */
    public static final int MAX_COMMAND_CHARS = 1024;

    private static final Set<String> PASSWORD_COMMANDS = Set.of("createUser", "updateUser");

    private UnauthorizedMessage() {
    }

    /** "not authorized on &lt;db&gt; to execute command { ... }". */
    public static String notAuthorized(String db, BsonDocument command) {
        return "not authorized on " + db + " to execute command " + ShellFormat.format(redacted(command),
                MAX_COMMAND_CHARS);
    }

    /** "Command &lt;name&gt; requires authentication" (an unauthenticated caller). */
    public static String requiresAuthentication(String command) {
        return "Command " + command + " requires authentication";
    }

    /** "&lt;name&gt; may only be run against the admin database." */
    public static String adminOnly(String command) {
        return command + " may only be run against the admin database.";
    }

    private static BsonDocument redacted(BsonDocument command) {
        if (command.isEmpty() || !PASSWORD_COMMANDS.contains(command.getFirstKey()) || !command.containsKey("pwd")) {
            return command;
        }
        BsonDocument copy = new BsonDocument();
        for (Map.Entry<String, BsonValue> entry : command.entrySet()) {
            copy.append(entry.getKey(), entry.getKey().equals("pwd") ? new BsonString("xxx") : entry.getValue());
        }
        return copy;
    }
}

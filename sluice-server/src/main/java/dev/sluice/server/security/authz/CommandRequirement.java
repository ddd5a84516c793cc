package dev.sluice.server.security.authz;

import java.util.List;
import java.util.Objects;

/**
 * What running a command takes, from {@link CommandPrivileges#of}.
 */
public sealed interface CommandRequirement {

    /** The command's name (the first key of the command document). */
    String command();

    /** May run before authentication (mongod's {@code requiresAuth() == false}: hello, saslStart, ping, ...). */
    record NoAuthentication(String command) implements CommandRequirement {
    }

    /**
     * Needs an authenticated caller that passes {@code check}.
     *
     * @param adminOnly the command runs only against {@code admin} (otherwise code 13,
     *                  "&lt;cmd&gt; may only be run against the admin database.")
     */
    record Authorization(String command, String db, boolean adminOnly, AccessCheck check)
            implements CommandRequirement {
        public Authorization {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(db, "db");
            Objects.requireNonNull(check, "check");
        }

        /** The privileges the check names (alternatives included), e.g. for a log line. */
        public List<Privilege> privileges() {
            return check.privileges();
        }
    }

    /**
     * A command this model does not know. Denied by default: it needs {@code anyAction} on
     * {@code anyResource} ({@link #check()}), which in mongod only {@code __system} holds.
     */
    record UnknownCommand(String command, String db, String reason) implements CommandRequirement {
        private static final AccessCheck ANY_ACTION_ANYWHERE =
                AccessCheck.granted(Resource.anyResource(), ActionType.ANY_ACTION);

        public AccessCheck check() {
            return ANY_ACTION_ANYWHERE;
        }
    }

    /**
     * The command's arguments are malformed where authorization needs them (a role that is neither
     * a string nor {@code {role, db}}, a pipeline that is not an array, ...): answer code 9
     * FailedToParse with {@code reason}, without running it.
     */
    record Malformed(String command, String db, String reason) implements CommandRequirement {
    }
}

package dev.sluice.server.security.users;

import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;
import org.bson.BsonArray;
import org.bson.BsonValue;

import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * SCRAM keys for a new password, as mongod's createUser / updateUser derive them. The password
 * is used here and dropped: it is never stored, logged, or put in an error message.
 */
final class Credentials {
    private Credentials() {
    }

    /** mongod's default: both SCRAM mechanisms. */
    static final List<ScramMechanism> DEFAULT_MECHANISMS = List.of(ScramMechanism.SCRAM_SHA_1,
            ScramMechanism.SCRAM_SHA_256);

    /**
     * The {@code mechanisms} field: null when absent; refused when empty or naming something other
     * than SCRAM-SHA-1 / SCRAM-SHA-256. Returned in mongod's order.
     */
    static List<ScramMechanism> mechanisms(BsonArray field) {
        if (field == null) {
            return null;
        }
        if (field.isEmpty()) {
            throw CommandError.badValue("mechanisms field must not be empty");
        }
        EnumSet<ScramMechanism> mechanisms = EnumSet.noneOf(ScramMechanism.class);
        for (BsonValue value : field) {
            if (!value.isString()) {
                throw CommandError.badValue("mechanisms: " + CommandFields.typeName(value.getBsonType())
                        + " (expected: strings)");
            }
            String name = value.asString().getValue();
            mechanisms.add(ScramMechanism.byName(name).orElseThrow(
                    () -> CommandError.badValue("Unknown auth mechanism '" + name + "'")));
        }
        return List.copyOf(mechanisms);
    }

    /**
     * Derives keys for {@code password}. With {@code digestPassword: false} the client sent mongod's
     * legacy digest itself, which SCRAM-SHA-1 can use and SCRAM-SHA-256 cannot (mongod refuses it).
     */
    static Map<ScramMechanism, ScramCredentials> derive(UserName user, String password, boolean digestPassword,
                                                        List<ScramMechanism> mechanisms, SecureRandom random) {
        if (password.isEmpty()) {
            throw CommandError.badValue("Password cannot be empty");
        }
        if (password.length() > UserAdminLimits.MAX_PASSWORD_CHARS) {
            throw CommandError.badValue("pwd: " + password.length() + " characters (limit: "
                    + "UserAdminLimits.MAX_PASSWORD_CHARS = " + UserAdminLimits.MAX_PASSWORD_CHARS + ")");
        }
        if (!digestPassword && mechanisms.contains(ScramMechanism.SCRAM_SHA_256)) {
            throw CommandError.badValue("Use of SCRAM-SHA-256 requires undigested passwords");
        }
        Map<ScramMechanism, ScramCredentials> credentials = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : mechanisms) {
            try {
                if (digestPassword) {
                    credentials.put(mechanism, ScramCredentials.derive(mechanism, user.user(), password,
                            mechanism.defaultIterationCount(), random));
                } else {
                    byte[] salt = new byte[mechanism.saltLength()];
                    random.nextBytes(salt);
                    credentials.put(mechanism, ScramCredentials.fromPreparedPassword(mechanism, password, salt,
                            mechanism.defaultIterationCount()));
                }
            } catch (IllegalArgumentException refused) {
                // SASLprep refused a character: say so without echoing any of the password.
                throw CommandError.badValue("pwd: SASLprep (RFC 4013) refuses this password for "
                        + mechanism.mechanismName() + " (prohibited or unassigned characters)");
            }
        }
        return credentials;
    }
}

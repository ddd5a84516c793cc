package dev.sluice.server.security.scram;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One user's stored SCRAM secrets for one mechanism, exactly as mongod keeps them in
 * {@code admin.system.users}: {@code credentials: {"SCRAM-SHA-256": {iterationCount, salt,
 * storedKey, serverKey}}} with base64 strings. No password is kept; {@link #toString()} prints
 * no key material.
 *
 * @param mechanism      which SCRAM variant these secrets belong to
 * @param iterationCount Hi() iterations, at least 1
 * @param salt           base64 salt
 * @param storedKey      base64 H(ClientKey)
 * @param serverKey      base64 HMAC(SaltedPassword, "Server Key")
 */
public record ScramCredentials(ScramMechanism mechanism, int iterationCount, String salt, String storedKey,
                               String serverKey) {

    /** Lowest iteration count {@link #derive} accepts (RFC 7677 §4: at least 4096). */
    public static final int MIN_DERIVE_ITERATIONS = 4096;

    public ScramCredentials {
        Objects.requireNonNull(mechanism, "mechanism");
        if (iterationCount < 1) {
            throw new IllegalArgumentException("iterationCount: " + iterationCount + " (expected: >= 1)");
        }
        byte[] saltBytes = decode("salt", salt);
        if (saltBytes.length == 0) {
            throw new IllegalArgumentException("salt: empty (expected: base64 of at least 1 byte)");
        }
        checkKeyLength("storedKey", decode("storedKey", storedKey), mechanism);
        checkKeyLength("serverKey", decode("serverKey", serverKey), mechanism);
    }

    /**
     * Credentials for a new password, as mongod's {@code createUser} derives them: mongod's
     * password preparation ({@link ScramMechanism#preparePassword}), a fresh random salt of mongod's
     * length, {@code iterations} rounds of Hi().
     *
     * @throws IllegalArgumentException for fewer than {@value #MIN_DERIVE_ITERATIONS} iterations or
     *                                  a password SASLprep refuses
     */
    public static ScramCredentials derive(ScramMechanism mechanism, String user, String password, int iterations,
                                          SecureRandom random) {
        if (iterations < MIN_DERIVE_ITERATIONS) {
            throw new IllegalArgumentException("iterationCount: " + iterations + " (expected: >= "
                    + MIN_DERIVE_ITERATIONS + ")");
        }
        byte[] salt = new byte[mechanism.saltLength()];
        random.nextBytes(salt);
        return fromPreparedPassword(mechanism, mechanism.preparePassword(user, password), salt, iterations);
    }

    /**
     * The raw SCRAM derivation (RFC 5802 §3) from an already prepared password, salt and iteration
     * count: SaltedPassword = Hi(password, salt, i); StoredKey = H(HMAC(SaltedPassword, "Client Key"));
     * ServerKey = HMAC(SaltedPassword, "Server Key").
     */
    public static ScramCredentials fromPreparedPassword(ScramMechanism mechanism, String preparedPassword,
                                                        byte[] salt, int iterations) {
        byte[] saltedPassword = mechanism.saltedPassword(preparedPassword, salt, iterations);
        byte[] storedKey = mechanism.hash(mechanism.clientKey(saltedPassword));
        byte[] serverKey = mechanism.serverKey(saltedPassword);
        Base64.Encoder b64 = Base64.getEncoder();
        return new ScramCredentials(mechanism, iterations, b64.encodeToString(salt), b64.encodeToString(storedKey),
                b64.encodeToString(serverKey));
    }

    /**
     * Whether {@code password} is this user's password (for HTTP Basic): derives StoredKey with the
     * stored salt and iteration count and compares in constant time. Costs one Hi() derivation.
     */
    public boolean verifyPassword(String user, String password) {
        String prepared;
        try {
            prepared = mechanism.preparePassword(user, password);
        } catch (IllegalArgumentException refusedBySaslPrep) {
            return false;
        }
        byte[] saltedPassword = mechanism.saltedPassword(prepared, saltBytes(), iterationCount);
        byte[] candidate = mechanism.hash(mechanism.clientKey(saltedPassword));
        return MessageDigest.isEqual(candidate, storedKeyBytes());
    }

    /** {@code {iterationCount, salt, storedKey, serverKey}}, the value under the mechanism's name. */
    public BsonDocument toBson() {
        return new BsonDocument("iterationCount", new BsonInt32(iterationCount))
                .append("salt", new BsonString(salt))
                .append("storedKey", new BsonString(storedKey))
                .append("serverKey", new BsonString(serverKey));
    }

    /**
     * Reads the value stored under the mechanism's name.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static ScramCredentials fromBson(ScramMechanism mechanism, BsonDocument document) {
        BsonValue count = document.get("iterationCount");
        if (count == null || !count.isNumber()) {
            throw new IllegalArgumentException(mechanism.mechanismName() + ".iterationCount: "
                    + (count == null ? "missing" : count.getBsonType()) + " (expected: a number)");
        }
        return new ScramCredentials(mechanism, count.asNumber().intValue(), string(mechanism, document, "salt"),
                string(mechanism, document, "storedKey"), string(mechanism, document, "serverKey"));
    }

    /**
     * Reads a user's whole {@code credentials} document; keys other than the SCRAM mechanisms
     * (for example {@code external}) are ignored.
     */
    public static Map<ScramMechanism, ScramCredentials> allFromBson(BsonDocument credentials) {
        Map<ScramMechanism, ScramCredentials> result = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            BsonValue value = credentials.get(mechanism.mechanismName());
            if (value == null) {
                continue;
            }
            if (!value.isDocument()) {
                throw new IllegalArgumentException("credentials." + mechanism.mechanismName() + ": "
                        + value.getBsonType() + " (expected: a document)");
            }
            result.put(mechanism, fromBson(mechanism, value.asDocument()));
        }
        return result;
    }

    /** A {@code credentials} document holding each of {@code all} under its mechanism's name. */
    public static BsonDocument toCredentialsDocument(Collection<ScramCredentials> all) {
        BsonDocument document = new BsonDocument();
        for (ScramCredentials credentials : all) {
            document.append(credentials.mechanism().mechanismName(), credentials.toBson());
        }
        return document;
    }

    /** The salt, decoded. */
    public byte[] saltBytes() {
        return Base64.getDecoder().decode(salt);
    }

    /** StoredKey, decoded (secret: never log it). */
    public byte[] storedKeyBytes() {
        return Base64.getDecoder().decode(storedKey);
    }

    /** ServerKey, decoded (secret: never log it). */
    public byte[] serverKeyBytes() {
        return Base64.getDecoder().decode(serverKey);
    }

    /** Mechanism and iteration count only: salts and keys never reach a log. */
    @Override
    public String toString() {
        return "ScramCredentials[mechanism=" + mechanism.mechanismName() + ", iterationCount=" + iterationCount
                + ", keys=<redacted>]";
    }

    private static String string(ScramMechanism mechanism, BsonDocument document, String field) {
        BsonValue value = document.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(mechanism.mechanismName() + "." + field + ": "
                    + (value == null ? "missing" : value.getBsonType()) + " (expected: a base64 string)");
        }
        return value.asString().getValue();
    }

    private static byte[] decode(String field, String value) {
        Objects.requireNonNull(value, field);
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": not base64 (" + e.getMessage() + ")", e);
        }
    }

    private static void checkKeyLength(String field, byte[] key, ScramMechanism mechanism) {
        if (key.length != mechanism.keyLength()) {
            throw new IllegalArgumentException(field + ": " + key.length + " bytes (expected: "
                    + mechanism.keyLength() + " for " + mechanism.mechanismName() + ")");
        }
    }
}

package dev.sluice.server.security.scram;

import com.ongres.saslprep.SASLprep;
import com.ongres.scram.common.ScramFunctions;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SCRAM mechanisms mongod offers, with mongod's defaults and mongod's password preparation.
 *
 * <p>Password preparation, as mongod does it: {@code SCRAM-SHA-1} uses the hex MD5 of
 * {@code "<user>:mongo:<password>"} as the SCRAM password (no SASLprep: the MONGODB-CR legacy
 * digest); {@code SCRAM-SHA-256} uses {@code SASLprep(password)} (RFC 4013).
 */
public enum ScramMechanism {
    /** mongod's {@code scramIterationCount} default is 10000; salts are 16 bytes. */
    SCRAM_SHA_1("SCRAM-SHA-1", 10_000, 16, "PBKDF2WithHmacSHA1", com.ongres.scram.common.ScramMechanism.SCRAM_SHA_1),
    /** mongod's {@code scramSHA256IterationCount} default is 15000; salts are 28 bytes. */
    SCRAM_SHA_256("SCRAM-SHA-256", 15_000, 28, "PBKDF2WithHmacSHA256", com.ongres.scram.common.ScramMechanism.SCRAM_SHA_256);

    private static final SASLprep SASL_PREP = new SASLprep();

    private final String mechanismName;
    private final int defaultIterationCount;
    private final int saltLength;
    private final String pbkdf2Algorithm;
    private final com.ongres.scram.common.ScramMechanism primitives;

    ScramMechanism(String mechanismName, int defaultIterationCount, int saltLength, String pbkdf2Algorithm,
                   com.ongres.scram.common.ScramMechanism primitives) {
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.mechanismName = mechanismName;
        this.defaultIterationCount = defaultIterationCount;
        this.saltLength = saltLength;
        this.primitives = primitives;
    }

    /** The SASL name, as in {@code saslStart.mechanism} and the {@code credentials} document keys. */
    public String mechanismName() {
        return mechanismName;
    }

    public int defaultIterationCount() {
        return defaultIterationCount;
    }

    /** Length in bytes of the salts mongod generates for this mechanism. */
    public int saltLength() {
        return saltLength;
    }

    /** Length in bytes of StoredKey, ServerKey, proofs and signatures (the hash output). */
    public int keyLength() {
        return this == SCRAM_SHA_1 ? 20 : 32;
    }

    /** The mechanism called {@code name} (exact, case-sensitive, as mongod). */
    public static Optional<ScramMechanism> byName(String name) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.mechanismName.equals(name)) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    /**
     * The password as this mechanism feeds it to Hi(): mongod's MD5 digest for SCRAM-SHA-1,
     * SASLprep for SCRAM-SHA-256.
     *
     * @throws IllegalArgumentException when SASLprep refuses the password (prohibited or
     *                                  unassigned code points, bad bidi)
     */
    public String preparePassword(String user, String password) {
        if (this == SCRAM_SHA_1) {
            return mongoDigest(user, password);
        }
        return saslPrep(password);
    }

    /** SASLprep (RFC 4013) of a stored string: unassigned code points are refused. */
    public static String saslPrep(String value) {
        return SASL_PREP.prepareStored(value);
    }

    /** mongod's legacy credential digest: hex(MD5(user + ":mongo:" + password)). */
    public static String mongoDigest(String user, String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] digest = md5.digest((user + ":mongo:" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by the Java platform", e);
        }
    }

    /**
     * Hi(password, salt, i) of RFC 5802: PBKDF2 with this mechanism's HMAC, the password as UTF-8
     * (the JDK's PBKDF2 encodes chars as UTF-8), one hash-length block.
     */
    public byte[] saltedPassword(String preparedPassword, byte[] salt, int iterationCount) {
        char[] password = preparedPassword.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterationCount, keyLength() * 8);
        try {
            return SecretKeyFactory.getInstance(pbkdf2Algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pbkdf2Algorithm + " is required by the Java platform", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
        }
    }

    public byte[] clientKey(byte[] saltedPassword) {
        return ScramFunctions.clientKey(primitives, saltedPassword);
    }

    public byte[] serverKey(byte[] saltedPassword) {
        return ScramFunctions.serverKey(primitives, saltedPassword);
    }

    public byte[] hash(byte[] value) {
        return ScramFunctions.hash(primitives, value);
    }

    public byte[] hmac(byte[] key, String message) {
        return ScramFunctions.hmac(primitives, key, message.getBytes(StandardCharsets.UTF_8));
    }
}

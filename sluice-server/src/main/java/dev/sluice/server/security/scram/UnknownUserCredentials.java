package dev.sluice.server.security.scram;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Stand-in secrets for a user that does not exist, so that the conversation goes on exactly as for a
 * real user and fails only at the proof: the same reply shape, a salt that is stable for a name (a
 * second attempt sees the same salt, as it would for a real user) and the same HMAC work. Derived
 * from the name and a per-process secret, so the salt reveals nothing and cannot be predicted.
 * The stand-in keys can never verify: nobody knows a ClientKey that hashes to them.
 */
final class UnknownUserCredentials {
    private static final ScramMechanism DERIVATION = ScramMechanism.SCRAM_SHA_256;

    private final byte[] secret;
    private final ScramServerSettings settings;

    UnknownUserCredentials(byte[] secret, ScramServerSettings settings) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= 32)");
        }
        this.secret = secret.clone();
        this.settings = settings;
    }

    static UnknownUserCredentials random(SecureRandom random, ScramServerSettings settings) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new UnknownUserCredentials(secret, settings);
    }

    ScramCredentials forUser(ScramMechanism mechanism, String user) {
        Base64.Encoder b64 = Base64.getEncoder();
        String label = mechanism.mechanismName() + "\u0000" + user;
        byte[] salt = Arrays.copyOf(derive("salt\u0000" + label), mechanism.saltLength());
        byte[] storedKey = Arrays.copyOf(derive("storedKey\u0000" + label), mechanism.keyLength());
        byte[] serverKey = Arrays.copyOf(derive("serverKey\u0000" + label), mechanism.keyLength());
        return new ScramCredentials(mechanism, settings.iterationCount(mechanism), b64.encodeToString(salt),
                b64.encodeToString(storedKey), b64.encodeToString(serverKey));
    }

    private byte[] derive(String label) {
        // HMAC-SHA-256 output is 32 bytes: enough for every salt and key length used here.
        return DERIVATION.hmac(secret, label);
    }
}

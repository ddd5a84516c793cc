package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramMechanism;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys derived from a password (the upstream URI's), with the salted password cached per (mechanism, salt,
 * iteration count), as drivers do: new connections do not re-run PBKDF2.
 */
final class PasswordKeys implements ScramKeys {
    private final String username;
    private final String password;
    private final Map<String, byte[]> saltedPasswords = new ConcurrentHashMap<>();
    private final AtomicLong derivations = new AtomicLong();

    PasswordKeys(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** PBKDF2 runs so far (one per distinct salt and iteration count). */
    long derivations() {
        return derivations.get();
    }

    @Override
    public Keys keys(ScramMechanism mechanism, byte[] salt, int iterations) {
        String key = mechanism.mechanismName() + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt);
        byte[] salted = saltedPasswords.computeIfAbsent(key, k -> {
            derivations.incrementAndGet();
            return mechanism.saltedPassword(mechanism.preparePassword(username, password), salt, iterations);
        });
        return new Keys(mechanism.clientKey(salted), mechanism.serverKey(salted));
    }

    @Override
    public String toString() {
        return "PasswordKeys[" + username + ", <redacted>]";
    }
}

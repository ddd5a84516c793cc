package dev.sluice.server.upstream;

import dev.sluice.server.security.scram.ScramMechanism;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys derived from a password (the upstream URI's), with the salted password cached per (mechanism, salt,
 * iteration count), as drivers do: new connections do not re-run PBKDF2.
 *
 * <p>The upstream chooses the work: an iteration count over {@code maxUpstreamScramIterations} is refused before any
 * derivation (PBKDF2 runs on the backend connection's event loop: 2^31 iterations would hold it for minutes), and at
 * most {@value #MAX_CACHED} salted passwords are kept (a server keeps one salt per user; one that sent a new salt
 * with every connection would otherwise grow the cache without end).
 */
final class PasswordKeys implements ScramKeys {
    static final int MAX_CACHED = 8;

    private final String username;
    private final String password;
    private final int maxIterations;
    private final Map<String, byte[]> saltedPasswords = new ConcurrentHashMap<>();
    private final AtomicLong derivations = new AtomicLong();

    /** @param maxIterations the most PBKDF2 iterations accepted from a server (LimitSettings) */
    PasswordKeys(String username, String password, int maxIterations) {
        this.username = username;
        this.password = password;
        this.maxIterations = maxIterations;
    }

    /** PBKDF2 runs so far (one per distinct salt and iteration count). */
    long derivations() {
        return derivations.get();
    }

    /** Salted passwords held now. */
    int cached() {
        return saltedPasswords.size();
    }

    @Override
    public Keys keys(ScramMechanism mechanism, byte[] salt, int iterations) {
        if (iterations > maxIterations) {
            throw new IllegalStateException("the server asks for " + iterations + " SCRAM iterations, over "
                    + "maxUpstreamScramIterations (" + maxIterations + "): refused without deriving the key");
        }
        if (saltedPasswords.size() >= MAX_CACHED) {
            saltedPasswords.clear();
        }
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

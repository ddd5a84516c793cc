package dev.sluice.server.security.scram;

import java.util.Optional;

/**
 * Where a conversation finds the stored secrets of the user who is logging in: bound by the caller
 * to one authentication database and one mechanism, e.g.
 * {@code user -> store.find("admin", user).flatMap(u -> u.credentials(SCRAM_SHA_256))}.
 * An empty result (no such user, or no credentials for this mechanism) is answered exactly like a
 * wrong password.
 */
@FunctionalInterface
public interface CredentialLookup {
    /** @param user the SCRAM user name, already decoded ({@code =2C} and {@code =3D} undone) */
    Optional<ScramCredentials> find(String user);
}

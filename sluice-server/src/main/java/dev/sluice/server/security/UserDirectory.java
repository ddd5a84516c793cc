package dev.sluice.server.security;

import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;

import java.util.List;
import java.util.Optional;

/**
 * What authentication and authorization read about users: answered from memory (a snapshot of the
 * user store), so it may be called on a network event loop. Thread-safe.
 */
public interface UserDirectory {
    /** The user's stored SCRAM keys for a mechanism, when the user exists and has them. */
    Optional<ScramCredentials> credentials(UserName user, ScramMechanism mechanism);

    /** The mechanisms the user has keys for, in mongod's order (SCRAM-SHA-1, SCRAM-SHA-256); empty when unknown. */
    List<ScramMechanism> mechanisms(UserName user);

    /** The user with its roles resolved (built-in and user-defined, inherited ones included), when it exists. */
    Optional<Subject> subject(UserName user);

    /** True while no user exists at all: mongod's localhost exception is open. */
    boolean isEmpty();

    /**
     * Whether what this directory knows of {@code user} is at hand now (always, for a directory held in memory;
     * with {@code security.userSource: cluster}, once read from the cluster and cached).
     */
    default boolean loaded(UserName user) {
        return true;
    }

    /**
     * Makes {@link #loaded} true for {@code user}: completes once it is read (found or not). Never fails: a
     * failure to read leaves the user unknown, and is logged by the directory.
     */
    default java.util.concurrent.CompletionStage<Void> load(UserName user) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** A directory with no users (auth off, tests). */
    UserDirectory EMPTY = new UserDirectory() {
        @Override
        public Optional<ScramCredentials> credentials(UserName user, ScramMechanism mechanism) {
            return Optional.empty();
        }

        @Override
        public List<ScramMechanism> mechanisms(UserName user) {
            return List.of();
        }

        @Override
        public Optional<Subject> subject(UserName user) {
            return Optional.empty();
        }

        @Override
        public boolean isEmpty() {
            return true;
        }
    };
}

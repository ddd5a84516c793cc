package dev.sluice.server.http;

import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import dev.sluice.server.security.scram.ScramCredentials;
import dev.sluice.server.security.scram.ScramMechanism;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a user's password against the stored SCRAM keys (SCRAM-SHA-256 when the user has them,
 * else SCRAM-SHA-1), off the event loops: one check is a full Hi() derivation (15,000 PBKDF2 rounds
 * by default), too slow for a network thread. {@value #THREADS} threads, at most
 * {@value #MAX_PENDING} checks waiting; past that a check fails at once with {@link Overloaded}.
 * An unknown user costs the same derivation as a known one, against stand-in keys that never match,
 * so the answer's timing does not tell which user names exist.
 */
final class PasswordCheck implements AutoCloseable {
    /** Threads deriving keys. */
    static final int THREADS = 2;
    /** Checks that may wait for a thread; past it the request is answered 503. */
    static final int MAX_PENDING = 64;
    /** How long a check waits for a cluster user to be read (its own usersInfo is bounded by 10 s too). */
    static final long LOAD_TIMEOUT_SECONDS = 15;

    /** Too many checks waiting: the request is answered 503. */
    static final class Overloaded extends RuntimeException {
        Overloaded() {
            super("more than " + MAX_PENDING + " password checks are waiting (PasswordCheck.MAX_PENDING); "
                    + "retry shortly, or log in on the dashboard once instead of sending HTTP Basic on every request",
                    null, false, false);
        }
    }

    private final UserDirectory users;
    private final ScramCredentials standIn;
    private final ThreadPoolExecutor executor;

    PasswordCheck(UserDirectory users, SecureRandom random) {
        this.users = users;
        this.standIn = standIn(random);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING), r -> {
                    Thread t = new Thread(r, "sluice-http-auth-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * The user's {@link Subject} when {@code password} is theirs, else empty; completes on a check
     * thread, or exceptionally with {@link Overloaded}.
     */
    CompletableFuture<Optional<Subject>> verify(UserName user, String password) {
        try {
            return CompletableFuture.supplyAsync(() -> verifyNow(user, password), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new Overloaded());
        }
    }

    /** The check itself, on the calling thread. */
    Optional<Subject> verifyNow(UserName user, String password) {
        if (!users.loaded(user)) { // a cluster user not cached yet (security.userSource: cluster): read it first
            try {
                users.load(user).toCompletableFuture().get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // left unknown: the check fails as for an unknown user
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Optional<ScramCredentials> stored = users.credentials(user, ScramMechanism.SCRAM_SHA_256)
                .or(() -> users.credentials(user, ScramMechanism.SCRAM_SHA_1));
        if (stored.isEmpty()) {
            standIn.verifyPassword(user.user(), password);
            return Optional.empty();
        }
        if (!stored.get().verifyPassword(user.user(), password)) {
            return Optional.empty();
        }
        return users.subject(user);
    }

    /** Random SCRAM-SHA-256 keys at mongod's default iteration count: nobody's password matches them. */
    private static ScramCredentials standIn(SecureRandom random) {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        Base64.Encoder b64 = Base64.getEncoder();
        return new ScramCredentials(mechanism, mechanism.defaultIterationCount(),
                b64.encodeToString(bytes(random, mechanism.saltLength())),
                b64.encodeToString(bytes(random, mechanism.keyLength())),
                b64.encodeToString(bytes(random, mechanism.keyLength())));
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

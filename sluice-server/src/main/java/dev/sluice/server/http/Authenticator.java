package dev.sluice.server.http;

import dev.sluice.server.security.authz.Subject;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One password attempt (HTTP Basic or the dashboard's login form), end to end: a slot from
 * {@link FailedLogins} (the attempt waits on its event loop's timer, never blocking it, or is
 * refused), the check off the event loop ({@link PasswordCheck}), then the outcome recorded for the
 * address and, when it failed, in the audit log.
 */
final class Authenticator {
    /** The address failed too often lately: answered 429 without a check. */
    static final class TooManyAttempts extends RuntimeException {
        private final Duration retryAfter;

        TooManyAttempts(Duration retryAfter) {
            super("too many failed attempts", null, false, false);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    private final PasswordCheck passwords;
    private final FailedLogins failures;
    private final AuthAudit audit;

    Authenticator(PasswordCheck passwords, FailedLogins failures, AuthAudit audit) {
        this.passwords = passwords;
        this.failures = failures;
        this.audit = audit;
    }

    /**
     * The subject when the password is right, else empty; exceptionally {@link TooManyAttempts} or
     * {@link PasswordCheck.Overloaded}. Completes on a check thread.
     *
     * @param how  what was attempted, for the audit log ("HTTP Basic, GET /metrics")
     * @param loop the event loop whose timer holds the attempt while its address is slowed down
     */
    CompletableFuture<Optional<Subject>> attempt(BasicCredentials credentials, InetSocketAddress from, String how,
                                                 EventExecutor loop) {
        FailedLogins.Admission admission = failures.admit(from.getAddress());
        if (!admission.admitted()) {
            audit.throttled(credentials.claimed(), from, how, admission.delay());
            return CompletableFuture.failedFuture(new TooManyAttempts(admission.delay()));
        }
        CompletableFuture<Optional<Subject>> result = new CompletableFuture<>();
        Runnable check = () -> passwords.verify(credentials.user(), credentials.password()).whenComplete((subject, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (subject.isPresent()) {
                failures.succeeded(from.getAddress());
                result.complete(subject);
            } else {
                audit.failed(credentials.claimed(), from, how, failures.failed(from.getAddress()));
                result.complete(subject);
            }
        });
        if (admission.delay().isZero()) {
            check.run();
        } else {
            loop.schedule(check, admission.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /** Credentials that could not even be read count as a failed attempt of their address. */
    void malformed(String claimed, InetSocketAddress from, String how, String problem) {
        audit.malformed(claimed, from, how, problem, failures.failed(from.getAddress()));
    }
}

package dev.sluice.server.http;

import dev.sluice.server.security.authz.Subject;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One password attempt (HTTP Basic or the dashboard's login form), end to end: a slot from
 * {@link FailedLogins} (the attempt waits on its event loop's timer, never blocking it, or is
 * refused), the check off the event loop ({@link PasswordCheck}), then the outcome recorded for the
 * address and, when it failed, in the audit log, and the failure answered no sooner than its
 * address's penalty after the attempt came (again on the loop's timer). An attempt is thus held at
 * most maxWait, plus its check.
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

    private final Clock clock;
    private final PasswordCheck passwords;
    private final FailedLogins failures;
    private final AuthAudit audit;

    Authenticator(Clock clock, PasswordCheck passwords, FailedLogins failures, AuthAudit audit) {
        this.clock = clock;
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
        Instant arrived = clock.instant();
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
                FailedLogins.Failure failure = failures.failed(from.getAddress());
                audit.failed(credentials.claimed(), from, how, failure);
                // answered no sooner than the penalty after the attempt came, its slot's wait included
                Duration left = failure.delay().minus(Duration.between(arrived, clock.instant()));
                later(loop, left, () -> result.complete(subject));
            }
        });
        later(loop, admission.delay(), check);
        return result;
    }

    /**
     * Credentials that could not even be read count as a failed attempt of their address; the
     * returned future completes (on {@code loop}) when the answer may go out.
     */
    CompletableFuture<Void> malformed(String claimed, InetSocketAddress from, String how, String problem,
                                      EventExecutor loop) {
        FailedLogins.Failure failure = failures.failed(from.getAddress());
        audit.malformed(claimed, from, how, problem, failure);
        CompletableFuture<Void> answer = new CompletableFuture<>();
        later(loop, failure.delay(), () -> answer.complete(null));
        return answer;
    }

    /** Runs {@code task} after {@code delay} on the loop's timer (at once when zero): never blocks a thread. */
    private static void later(EventExecutor loop, Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) {
            task.run();
        } else {
            loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}

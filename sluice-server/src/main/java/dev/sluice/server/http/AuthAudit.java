package dev.sluice.server.http;

import dev.sluice.server.registry.Addresses;
import dev.sluice.server.security.authz.UserName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The HTTP connector's authentication audit trail, on the logger {@value #LOGGER}: one INFO line per
 * failed attempt (who claimed, from where, how, the outcome and the slowdown now applied to that
 * address), per dashboard login and per logout; refusals of the slowdown itself (429) are counted
 * and logged at DEBUG only, so that a flood of them cannot flood the log. Never a password.
 * Counted in {@code sluice_http_authentication_failures_total{reason}}: {@code credentials} (wrong
 * user or password), {@code malformed} (unreadable credentials), {@code throttled} (refused, 429).
 */
final class AuthAudit {
    static final String LOGGER = "sluice.audit";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_NAME_CHARS = 100;

    private final Counter wrongCredentials;
    private final Counter malformed;
    private final Counter throttled;

    AuthAudit(MeterRegistry meters) {
        this.wrongCredentials = counter(meters, "credentials");
        this.malformed = counter(meters, "malformed");
        this.throttled = counter(meters, "throttled");
    }

    /** A password check failed. */
    void failed(String claimed, InetSocketAddress from, String how, FailedLogins.Failure failure) {
        wrongCredentials.increment();
        log.info("[audit] http authentication failed: user {} from {} ({}): unknown user or wrong password; "
                        + "{} in a row from {}, answered and its next attempt held {} ms", quote(claimed),
                Addresses.format(from), how, failure.failures() == 1 ? "1 failure" : failure.failures() + " failures",
                from.getAddress().getHostAddress(), failure.delay().toMillis());
    }

    /** Credentials that could not be read (another scheme, bad base64, empty user). */
    void malformed(String claimed, InetSocketAddress from, String how, String problem,
                   FailedLogins.Failure failure) {
        malformed.increment();
        log.info("[audit] http authentication failed: user {} from {} ({}): {}; {} in a row from {}, answered and "
                        + "its next attempt held {} ms", quote(claimed), Addresses.format(from), how, problem,
                failure.failures() == 1 ? "1 failure" : failure.failures() + " failures",
                from.getAddress().getHostAddress(), failure.delay().toMillis());
    }

    /** An attempt refused unchecked: its address failed too often lately. */
    void throttled(String claimed, InetSocketAddress from, String how, Duration retryAfter) {
        throttled.increment();
        log.debug("[audit] http authentication refused: user {} from {} ({}): too many failures from this address; "
                + "retry after {} ms", quote(claimed), Addresses.format(from), how, retryAfter.toMillis());
    }

    void loggedIn(UserName user, InetSocketAddress from) {
        log.info("[audit] http login: user {} from {}: dashboard session started", quote(user.toString()),
                Addresses.format(from));
    }

    void loggedOut(UserName user, InetSocketAddress from) {
        log.info("[audit] http logout: user {} from {}: dashboard session ended", quote(user.toString()),
                Addresses.format(from));
    }

    /** The name as sent, quoted, control characters escaped and cut at {@value #MAX_NAME_CHARS} chars. */
    static String quote(String name) {
        if (name == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS) + 8).append('"');
        for (int i = 0; i < name.length() && i < MAX_NAME_CHARS; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (name.length() > MAX_NAME_CHARS) {
            out.append("…");
        }
        return out.append('"').toString();
    }

    private static Counter counter(MeterRegistry meters, String reason) {
        return Counter.builder("sluice.http.authentication.failures")
                .description("HTTP requests whose authentication failed, by reason")
                .tag("reason", reason)
                .register(meters);
    }
}

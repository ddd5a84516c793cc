package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.security.authz.Subject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;

/** The answers of authentication and authorization: 401, 403, 429, 503. */
final class AuthResults {
    static final String CHALLENGE = "Basic realm=\"sluice\"";
    /** mongod's code for "not authorized". */
    static final int UNAUTHORIZED_CODE = 13;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthResults() {
    }

    /** 401; with {@code WWW-Authenticate: Basic realm="sluice"} unless the dashboard asked. */
    static HttpResult unauthorized(ApiRequest request, String message) {
        HttpResult result = HttpResult.error(HttpResponseStatus.UNAUTHORIZED, message);
        return request.fromDashboard() ? result : result.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE);
    }

    /** 401 for a wrong user or password. */
    static HttpResult authenticationFailed(ApiRequest request, BasicCredentials credentials, boolean noUsers) {
        return unauthorized(request, failureMessage(credentials, noUsers));
    }

    /** Why a password attempt failed; with no user at all, how to create the first one. */
    static String failureMessage(BasicCredentials credentials, boolean noUsers) {
        return "Authentication failed for user " + AuthAudit.quote(credentials.claimed())
                + ": unknown user or wrong password" + (noUsers ? NO_USERS : "");
    }

    /** The hint while no user exists. */
    static final String NO_USERS = " (no user exists yet: create the first one with createUser in the admin "
            + "database through the mongodb connector, from localhost)";

    /** 403: the user lacks the action on the cluster (code 13 as on the wire, and the action named). */
    static HttpResult forbidden(ApiRequest request, Subject subject, RouteAccess access) {
        String action = access.action().actionName();
        return error(HttpResponseStatus.FORBIDDEN, "user " + ConnectionEntry.displayName(subject.user())
                + " is not authorized for " + request.describe() + ": it needs the " + action
                + " action on the cluster resource (as the " + action + " command does; built-in roles "
                + access.rolesWithAction() + ")", action);
    }

    /** 403: a state-changing request authenticated by the session cookie without its CSRF token. */
    static HttpResult csrfRefused(ApiRequest request, boolean present) {
        return HttpResult.error(HttpResponseStatus.FORBIDDEN, request.describe() + " refused: "
                + (present ? "the " + AuthGate.CSRF_HEADER + " header does not match this session"
                : "a request authenticated by the session cookie must carry the session's " + AuthGate.CSRF_HEADER
                + " header (GET /api/session returns it)"));
    }

    /** 429: too many failures from the address; Retry-After in whole seconds. */
    static HttpResult tooManyAttempts(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return HttpResult.error(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed authentication attempts "
                        + "from this address; retry in " + seconds + " s")
                .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(seconds));
    }

    /** 503: more password checks waiting than {@link PasswordCheck#MAX_PENDING}. */
    static HttpResult overloaded(PasswordCheck.Overloaded e) {
        return HttpResult.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage())
                .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1");
    }

    private static HttpResult error(HttpResponseStatus status, String message, String action) {
        ObjectNode body = JSON.createObjectNode()
                .put("error", status.reasonPhrase())
                .put("message", message)
                .put("code", UNAUTHORIZED_CODE)
                .put("codeName", "Unauthorized")
                .put("action", action);
        try {
            return HttpResult.json(status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

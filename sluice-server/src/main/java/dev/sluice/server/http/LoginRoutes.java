package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.ActionType;
import dev.sluice.server.security.authz.CommandPrivileges;
import dev.sluice.server.security.authz.PrivilegeSet;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.Subject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The dashboard's session routes (authorization on only):
 * <ul>
 *   <li>{@code POST /api/login} {@code {"user": "alice", "password": "..."}} → 200
 *       {@code {"user", "username", "csrfToken"}} and the session cookie; 401 when wrong;</li>
 *   <li>{@code POST /api/logout} ends the cookie's session (its CSRF token required) and clears the cookie;</li>
 *   <li>{@code GET /api/session} → who is calling, the session's CSRF token (null under HTTP
 *       Basic), and what the caller may do: {@code canSeeAll} ({@code inprog}), {@code canKillAll}
 *       ({@code killop}) and each action the API's routes need.</li>
 * </ul>
 */
final class LoginRoutes {
    static final String LOGIN = "/api/login";
    static final String LOGOUT = "/api/logout";
    static final String SESSION = "/api/session";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActionType[] ROUTE_ACTIONS = {ActionType.DROP_CONNECTIONS, ActionType.CONN_POOL_STATS,
            ActionType.SERVER_STATUS, ActionType.INPROG, ActionType.KILLOP};

    private final UserDirectory users;
    private final Authenticator authenticator;
    private final Sessions sessions;
    private final SessionCookie cookie;
    private final AuthAudit audit;

    LoginRoutes(UserDirectory users, Authenticator authenticator, Sessions sessions, SessionCookie cookie,
                AuthAudit audit) {
        this.users = users;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.cookie = cookie;
        this.audit = audit;
    }

    /** POST /api/login; completes on {@code loop}. */
    CompletableFuture<HttpResult> login(ApiRequest request, ConnectionEntry entry, EventExecutor loop) {
        if (!request.method().equals(HttpMethod.POST)) {
            return done(methodNotAllowed(request));
        }
        BasicCredentials credentials;
        try {
            JsonNode form = form(request.body());
            credentials = BasicCredentials.of(text(form, "user"), text(form, "password"));
        } catch (ApiError e) {
            return done(HttpResult.error(e.status(), e.getMessage()));
        } catch (BasicCredentials.Malformed e) {
            return authenticator.malformed(e.claimed(), request.from(), "dashboard login", e.getMessage(), loop)
                    .thenApply(later -> HttpResult.error(HttpResponseStatus.UNAUTHORIZED, e.getMessage()));
        }
        return authenticator.attempt(credentials, request.from(), "dashboard login", loop)
                .handleAsync((subject, error) -> {
                    if (error != null) {
                        return AuthGate.failure(error);
                    }
                    if (subject.isEmpty()) {
                        return HttpResult.error(HttpResponseStatus.UNAUTHORIZED,
                                AuthResults.failureMessage(credentials, users.isEmpty()));
                    }
                    return started(request, entry, subject.get());
                }, loop);
    }

    private HttpResult started(ApiRequest request, ConnectionEntry entry, Subject subject) {
        for (String previous : SessionCookie.ids(request.headers())) {
            sessions.end(previous); // a login replaces the browser's session, never extends it
        }
        Sessions.Started started = sessions.start(subject.user());
        entry.subject(subject);
        audit.loggedIn(subject.user(), request.from());
        ObjectNode body = JSON.createObjectNode()
                .put("user", subject.user().toString())
                .put("username", ConnectionEntry.displayName(subject.user()))
                .put("csrfToken", started.session().csrfToken());
        return json(body).withHeader(HttpHeaderNames.SET_COOKIE.toString(), cookie.set(started.id()));
    }

    /** POST /api/logout: ends the cookie's session (its CSRF token required); clears the cookie either way. */
    HttpResult logout(ApiRequest request, ConnectionEntry entry) {
        if (!request.method().equals(HttpMethod.POST)) {
            return methodNotAllowed(request);
        }
        for (String id : SessionCookie.ids(request.headers())) {
            Optional<Sessions.Session> session = sessions.find(id);
            if (session.isEmpty()) {
                continue;
            }
            String token = request.headers().get(AuthGate.CSRF_HEADER);
            if (!session.get().csrfMatches(token)) {
                return AuthResults.csrfRefused(request, token != null);
            }
            sessions.end(session.get());
            entry.subject(null);
            audit.loggedOut(session.get().user(), request.from());
        }
        return json(JSON.createObjectNode().put("ok", 1))
                .withHeader(HttpHeaderNames.SET_COOKIE.toString(), cookie.clear());
    }

    /** GET /api/session for an authenticated caller ({@code session} null under HTTP Basic). */
    HttpResult session(ApiRequest request, Subject subject, Sessions.Session session) {
        if (!request.method().equals(HttpMethod.GET)) {
            return HttpResult.error(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on "
                    + SESSION + "; use GET").withHeader("Allow", "GET");
        }
        PrivilegeSet privileges = subject.privileges();
        ObjectNode body = JSON.createObjectNode()
                .put("user", subject.user().toString())
                .put("username", ConnectionEntry.displayName(subject.user()))
                .put("csrfToken", session == null ? null : session.csrfToken())
                .put("canSeeAll", CommandPrivileges.canSeeAll(privileges))
                .put("canKillAll", CommandPrivileges.canKillAll(privileges));
        ObjectNode actions = body.putObject("actions");
        for (ActionType action : ROUTE_ACTIONS) {
            actions.put(action.actionName(), privileges.isAuthorized(Resource.cluster(), action));
        }
        return json(body);
    }

    private static JsonNode form(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("login body is not valid JSON; expected {\"user\": \"...\", \"password\": \"...\"}");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("login body must be a JSON object {\"user\": \"...\", \"password\": \"...\"}");
        }
        return node;
    }

    private static String text(JsonNode form, String field) {
        JsonNode value = form.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiError.badRequest("login field '" + field + "' is required: a string");
        }
        return value.asText();
    }

    private static HttpResult methodNotAllowed(ApiRequest request) {
        return HttpResult.error(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on "
                + request.path() + "; use POST").withHeader("Allow", "POST");
    }

    private static HttpResult json(ObjectNode body) {
        try {
            return HttpResult.json(HttpResponseStatus.OK, JSON.writeValueAsBytes(body))
                    .withHeader(HttpHeaderNames.CACHE_CONTROL.toString(), "no-store");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}

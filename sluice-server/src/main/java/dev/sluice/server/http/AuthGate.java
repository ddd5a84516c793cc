package dev.sluice.server.http;

import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.security.UserDirectory;
import dev.sluice.server.security.authz.Resource;
import dev.sluice.server.security.authz.Subject;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Authentication and authorization of every request when authorization is on, after
 * {@link RequestGuard} and before the routes. The caller is who the {@code Authorization: Basic}
 * header names (checked against the stored SCRAM keys), else who the session cookie belongs to;
 * with neither, the dashboard page is the login page and everything else but the public files is
 * a 401. The caller's {@link Subject} is set on the HTTP connection's registry entry, which the
 * connection admin filters by. A state-changing request authenticated by the cookie needs the
 * session's {@value #CSRF_HEADER}; a route needing an action ({@link RouteAccess}) is a 403
 * without it. Subjects are read afresh from the {@link UserDirectory} on every request, so a
 * dropped user's session ends and changed roles apply at once.
 */
final class AuthGate {
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger log = LoggerFactory.getLogger(AuthGate.class);

    private final UserDirectory users;
    private final boolean metricsWithoutAuth;
    private final Authenticator authenticator;
    private final Sessions sessions;
    private final LoginRoutes login;
    private final StaticResources resources;

    AuthGate(UserDirectory users, boolean metricsWithoutAuth, Authenticator authenticator, Sessions sessions,
             LoginRoutes login, StaticResources resources) {
        this.users = users;
        this.metricsWithoutAuth = metricsWithoutAuth;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.login = login;
        this.resources = resources;
    }

    /**
     * The answer to {@code request}: {@code route}'s when the caller may have it.
     *
     * @param entry the HTTP connection's registry entry; gets the caller's subject
     * @param loop  the connection's event loop: the future completes on it
     */
    CompletableFuture<HttpResult> handle(ApiRequest request, ConnectionEntry entry, EventExecutor loop,
                                         Supplier<HttpResult> route) {
        if (request.path().equals(LoginRoutes.LOGIN)) {
            return login.login(request, entry, loop);
        }
        if (request.path().equals(LoginRoutes.LOGOUT)) {
            return done(login.logout(request, entry));
        }
        RouteAccess access = RouteAccess.of(request.path(), metricsWithoutAuth);
        if (access.kind() == RouteAccess.Kind.PUBLIC) {
            return done(route.get());
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            return basic(request, authorization, access, entry, loop, route);
        }
        for (String id : SessionCookie.ids(request.headers())) {
            Optional<Sessions.Session> session = sessions.find(id);
            if (session.isEmpty()) {
                continue;
            }
            Optional<Subject> subject = users.subject(session.get().user());
            if (subject.isEmpty()) {
                sessions.end(session.get());
                continue;
            }
            return done(authorized(request, access, subject.get(), session.get(), entry, route));
        }
        if (access.kind() == RouteAccess.Kind.DASHBOARD) {
            return done(loginPage());
        }
        return done(AuthResults.unauthorized(request, SessionCookie.ids(request.headers()).isEmpty()
                ? "authentication required: send HTTP Basic credentials of a Sluice user (curl -u user:password) "
                + "or log in on the dashboard" + (users.isEmpty() ? AuthResults.NO_USERS : "")
                : "the dashboard session has expired or ended; log in again"));
    }

    private CompletableFuture<HttpResult> basic(ApiRequest request, String header, RouteAccess access,
                                                ConnectionEntry entry, EventExecutor loop, Supplier<HttpResult> route) {
        String how = "HTTP Basic, " + request.describe();
        BasicCredentials credentials;
        try {
            credentials = BasicCredentials.parse(header);
        } catch (BasicCredentials.Malformed e) {
            return authenticator.malformed(e.claimed(), request.from(), how, e.getMessage(), loop)
                    .thenApply(later -> AuthResults.unauthorized(request, e.getMessage()));
        }
        return authenticator.attempt(credentials, request.from(), how, loop).handleAsync((subject, error) -> {
            if (error != null) {
                return failure(error);
            }
            if (subject.isEmpty()) {
                return AuthResults.authenticationFailed(request, credentials, users.isEmpty());
            }
            return authorized(request, access, subject.get(), null, entry, route);
        }, loop);
    }

    private HttpResult authorized(ApiRequest request, RouteAccess access, Subject subject, Sessions.Session session,
                                  ConnectionEntry entry, Supplier<HttpResult> route) {
        entry.subject(subject);
        if (session != null && request.changesState()) {
            String token = request.headers().get(CSRF_HEADER);
            if (!session.csrfMatches(token)) {
                return AuthResults.csrfRefused(request, token != null);
            }
        }
        if (access.kind() == RouteAccess.Kind.ACTION
                && !subject.privileges().isAuthorized(Resource.cluster(), access.action())) {
            return AuthResults.forbidden(request, subject, access);
        }
        if (request.path().equals(LoginRoutes.SESSION)) {
            return login.session(request, subject, session);
        }
        return route.get();
    }

    private HttpResult loginPage() {
        StaticResources.Resource page = resources.find("/login.html");
        return new HttpResult(HttpResponseStatus.OK, page.contentType(), page.body(),
                java.util.Map.of("Cache-Control", "no-cache"), () -> { });
    }

    /** The answer when an attempt could not be checked: 429, 503, or 500 for the unexpected. */
    static HttpResult failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof Authenticator.TooManyAttempts tooMany) {
            return AuthResults.tooManyAttempts(tooMany.retryAfter());
        }
        if (cause instanceof PasswordCheck.Overloaded overloaded) {
            return AuthResults.overloaded(overloaded);
        }
        log.warn("[http] password check failed", cause);
        return HttpResult.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "password check failed: " + cause);
    }

    private static CompletableFuture<HttpResult> done(HttpResult result) {
        return CompletableFuture.completedFuture(result);
    }
}

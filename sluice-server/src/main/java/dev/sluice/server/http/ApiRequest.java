package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * What authentication and the routes read of one request, copied off Netty's request so that it
 * outlives it (a check may finish on another thread, after the request was released).
 *
 * @param headers a copy of the request's headers
 * @param from    the client's address
 */
record ApiRequest(HttpMethod method, String path, HttpHeaders headers, byte[] body, InetSocketAddress from) {
    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);

    /** POST, PUT, PATCH or DELETE. */
    boolean changesState() {
        return STATE_CHANGING.contains(method);
    }

    /**
     * Whether a script sent it (the dashboard sets {@code X-Requested-With}) or it carries a session
     * cookie: its 401 then has no {@code WWW-Authenticate}, so the browser does not pop up its own
     * password dialog over the dashboard's login page.
     */
    boolean fromDashboard() {
        return headers.contains("X-Requested-With") || headers.contains(HttpHeaderNames.COOKIE);
    }

    /** "GET /api/connections", for the audit log. */
    String describe() {
        return method + " " + path;
    }
}

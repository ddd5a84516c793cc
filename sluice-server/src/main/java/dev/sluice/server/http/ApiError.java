package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses, answered as {@code {"error": "<reason phrase>", "message": "..."}}.
 * Thrown by the routes, turned into the response by {@link ApiRoutes}.
 */
final class ApiError extends RuntimeException {
    private final HttpResponseStatus status;
    private final String allow;

    private ApiError(HttpResponseStatus status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    static ApiError badRequest(String message) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, message, null);
    }

    static ApiError methodNotAllowed(HttpMethod actual, String path, HttpMethod allowed) {
        return new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED,
                actual + " is not allowed on " + path + "; use " + allowed, allowed.name());
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The Allow header of a 405, else null. */
    String allow() {
        return allow;
    }
}

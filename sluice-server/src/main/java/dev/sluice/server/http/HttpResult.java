package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a route answers: status, body, extra headers, and what to run once the response is flushed
 * (e.g. closing the caller's own killed connection).
 */
record HttpResult(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers,
                  Runnable afterResponse) {
    static final String JSON = "application/json; charset=utf-8";
    private static final Runnable NOTHING = () -> { };

    static HttpResult json(HttpResponseStatus status, byte[] body) {
        return new HttpResult(status, JSON, body, Map.of(), NOTHING);
    }

    static HttpResult text(HttpResponseStatus status, String contentType, String body) {
        return new HttpResult(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), NOTHING);
    }

    HttpResult withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpResult(status, contentType, body, Map.copyOf(all), afterResponse);
    }

    HttpResult afterResponse(Runnable action) {
        return new HttpResult(status, contentType, body, headers, action);
    }
}

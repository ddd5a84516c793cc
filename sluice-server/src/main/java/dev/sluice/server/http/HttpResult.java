package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static HttpResult json(HttpResponseStatus status, byte[] body) {
        return new HttpResult(status, JSON, body, Map.of(), NOTHING);
    }

    static HttpResult text(HttpResponseStatus status, String contentType, String body) {
        return new HttpResult(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), NOTHING);
    }

    /** {@code {"error": "<reason phrase>", "message": "..."}} with that status. */
    static HttpResult error(HttpResponseStatus status, String message) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("error", status.reasonPhrase())
                .put("message", message);
        try {
            return json(status, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResult withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpResult(status, contentType, body, Map.copyOf(all), afterResponse);
    }

    /** The answer to a HEAD request: the same status and headers, Content-Length included, and no body. */
    HttpResult withoutBody() {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Length", Integer.toString(body.length));
        return new HttpResult(status, contentType, new byte[0], Map.copyOf(all), afterResponse);
    }

    HttpResult afterResponse(Runnable action) {
        return new HttpResult(status, contentType, body, headers, action);
    }
}

package dev.sluice.server.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;

import java.util.Map;

/**
 * The headers of every response: the result's own, its length, and the same-origin hardening
 * (no sniffing, no framing by another site). Never an {@code Access-Control-*} header: Sluice
 * grants no cross-origin access.
 */
final class ResponseHeaders {
    private ResponseHeaders() {
    }

    static void apply(FullHttpResponse response, HttpResult result) {
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, result.contentType())
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, "frame-ancestors 'none'")
                .set("Referrer-Policy", "no-referrer");
        HttpUtil.setContentLength(response, result.body().length);
        for (Map.Entry<String, String> header : result.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
    }
}

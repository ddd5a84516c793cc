package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks every request passes before it reaches a route, against cross-site requests and DNS
 * rebinding (DESIGN.md, Security interfaces):
 * <ol>
 *   <li>{@code Host} names this connector ({@link HostCheck}); missing on HTTP/1.1 is a 400;</li>
 *   <li>an {@code Origin} header, when present, is this connector's own ({@code http://<Host>}, or
 *       {@code https://<Host>} on the https connector);
 *       {@code Origin: null} is foreign; {@code Sec-Fetch-Site: cross-site} is refused;</li>
 *   <li>a state-changing request (POST, PUT, PATCH, DELETE) carries {@code application/json}:
 *       a browser cannot send that cross-origin without a CORS preflight, which is never granted
 *       (no {@code Access-Control-*} header is ever sent). A DELETE without a body may omit it.</li>
 * </ol>
 * Stateless; the refusal is a JSON error, so nothing of the request has happened.
 */
final class RequestGuard {
    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);
    private static final String JSON_MEDIA_TYPE = "application/json";

    private final HostCheck hosts;
    private final HttpScheme scheme;

    RequestGuard(HostCheck hosts) {
        this(hosts, HttpScheme.HTTP);
    }

    RequestGuard(HostCheck hosts, HttpScheme scheme) {
        this.hosts = hosts;
        this.scheme = scheme;
    }

    /**
     * Null when the request may be routed, else the response refusing it.
     *
     * @param bodyLength the request body's length in bytes
     * @param local      the local address the connection reached
     */
    HttpResult refusal(HttpRequest request, int bodyLength, InetSocketAddress local) {
        HttpHeaders headers = request.headers();
        List<String> hostValues = headers.getAll(HttpHeaderNames.HOST);
        if (hostValues.size() > 1) {
            return HttpResult.error(HttpResponseStatus.BAD_REQUEST, "more than one Host header");
        }
        String host = hostValues.isEmpty() ? null : hostValues.get(0);
        if (host == null) {
            if (!request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return HttpResult.error(HttpResponseStatus.BAD_REQUEST, "the Host header is required on "
                        + request.protocolVersion());
            }
        } else {
            String wrongHost = hosts.refusal(host, local);
            if (wrongHost != null) {
                return HttpResult.error(HttpResponseStatus.FORBIDDEN, wrongHost);
            }
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && (host == null || !origin.trim().equalsIgnoreCase(scheme.origin(host.trim())))) {
            return HttpResult.error(HttpResponseStatus.FORBIDDEN, "cross-origin request refused: Origin '" + origin
                    + "' is not this Sluice's own origin" + (host == null ? "" : " (" + scheme.origin(host.trim()) + ")")
                    + "; Sluice's HTTP API answers only its own dashboard and non-browser clients");
        }
        String fetchSite = headers.get("Sec-Fetch-Site");
        if (fetchSite != null && fetchSite.trim().equalsIgnoreCase("cross-site")) {
            return HttpResult.error(HttpResponseStatus.FORBIDDEN, "cross-site request refused (Sec-Fetch-Site: "
                    + "cross-site); open the dashboard by its own address");
        }
        if (STATE_CHANGING.contains(request.method())) {
            return contentTypeRefusal(request, bodyLength);
        }
        return null;
    }

    private static HttpResult contentTypeRefusal(HttpRequest request, int bodyLength) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null && request.method().equals(HttpMethod.DELETE) && bodyLength == 0) {
            return null;
        }
        CharSequence mime = contentType == null ? null : HttpUtil.getMimeType(contentType);
        if (mime != null && mime.toString().trim().toLowerCase(Locale.ROOT).equals(JSON_MEDIA_TYPE)) {
            return null;
        }
        return HttpResult.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, request.method() + " "
                + (contentType == null ? "without a Content-Type" : "with Content-Type '" + contentType + "'")
                + " refused: state-changing requests take Content-Type: application/json only"
                + " (curl: -H 'Content-Type: application/json')");
    }
}

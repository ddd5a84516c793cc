package dev.sluice.server.http;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestGuardTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 27080);
    private static final String HOST = "127.0.0.1:27080";
    private final RequestGuard guard = new RequestGuard(new HostCheck(LOCAL, List.of()));

    private static HttpRequest request(HttpMethod method, String... headers) {
        return request(HttpVersion.HTTP_1_1, method, headers);
    }

    private static HttpRequest request(HttpVersion version, HttpMethod method, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, method, "/api/connections/kill");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private Integer status(HttpRequest request, int bodyLength) {
        HttpResult refusal = guard.refusal(request, bodyLength, LOCAL);
        return refusal == null ? null : refusal.status().code();
    }

    private String message(HttpRequest request, int bodyLength) {
        return new String(guard.refusal(request, bodyLength, LOCAL).body(), StandardCharsets.UTF_8);
    }

    @Test
    void stateChangingRequestsTakeApplicationJsonOnly() {
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
            assertThat(status(request(method, "Host", HOST, "Content-Type", "application/json"), 2)).isNull();
            assertThat(status(request(method, "Host", HOST, "Content-Type", "Application/JSON ; charset=utf-8"), 2)).isNull();
            for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=b", "application/json-seq", "application/jsonx", "")) {
                assertThat(status(request(method, "Host", HOST, "Content-Type", type), 2)).as("%s %s", method, type)
                        .isEqualTo(415);
            }
            assertThat(status(request(method, "Host", HOST), 2)).as("%s without Content-Type", method).isEqualTo(415);
        }
        assertThat(message(request(HttpMethod.POST, "Host", HOST, "Content-Type", "text/plain"), 2))
                .contains("\"error\":\"Unsupported Media Type\"", "Content-Type 'text/plain'", "application/json");
    }

    @Test
    void aBodilessRequestNeedsContentTypeOnlyWhenItIsNotADelete() {
        assertThat(status(request(HttpMethod.DELETE, "Host", HOST), 0)).isNull();
        assertThat(status(request(HttpMethod.POST, "Host", HOST), 0)).isEqualTo(415);
        assertThat(status(request(HttpMethod.GET, "Host", HOST), 0)).isNull();
        assertThat(status(request(HttpMethod.GET, "Host", HOST, "Content-Type", "text/plain"), 0)).isNull();
    }

    @Test
    void aForeignOriginOrACrossSiteFetchIsRefusedWhateverTheMethod() {
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)) {
            for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:27081", "https://" + HOST,
                    "http://localhost:27080", "http://" + HOST + ".evil.example")) {
                assertThat(status(request(method, "Host", HOST, "Origin", origin, "Content-Type", "application/json"), 2))
                        .as("%s Origin %s", method, origin).isEqualTo(403);
            }
            assertThat(status(request(method, "Host", HOST, "Sec-Fetch-Site", "cross-site",
                    "Content-Type", "application/json"), 2)).isEqualTo(403);
        }
        assertThat(status(request(HttpMethod.POST, "Host", HOST, "Origin", "http://" + HOST,
                "Sec-Fetch-Site", "same-origin", "Content-Type", "application/json"), 2)).isNull();
        assertThat(status(request(HttpMethod.POST, "Host", "LOCALHOST:27080", "Origin", "http://localhost:27080",
                "Content-Type", "application/json"), 2)).isNull();
    }

    @Test
    void theHostIsCheckedFirstAndRequiredOnHttp11() {
        assertThat(status(request(HttpMethod.GET, "Host", "attacker.example"), 0)).isEqualTo(403);
        assertThat(message(request(HttpMethod.GET, "Host", "attacker.example"), 0)).contains("httpAllowedHosts");
        assertThat(status(request(HttpMethod.GET), 0)).isEqualTo(400);
        assertThat(status(request(HttpMethod.GET, "Host", HOST, "Host", HOST), 0)).isEqualTo(400);
        assertThat(status(request(HttpVersion.HTTP_1_0, HttpMethod.GET), 0)).isNull();
        assertThat(status(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "Origin", "http://" + HOST), 0)).isEqualTo(403);
    }
}

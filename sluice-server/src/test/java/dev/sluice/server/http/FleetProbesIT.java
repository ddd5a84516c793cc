package dev.sluice.server.http;

import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /healthz} and {@code /readyz} over real HTTP: open without credentials even with authorization on,
 * whatever Host or Origin the prober sends, plain one-word bodies, HEAD as GET without a body; and
 * {@code /readyz} 503 {@code no-upstream} while no upstream server can take a primary read.
 */
class FleetProbesIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(SluiceHarness sluice, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAndReadyzAnswerOkAndReadyWithAnEmbeddedBackend() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            HttpResponse<String> health = send(sluice, "GET", "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");
            assertThat(health.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(health.headers().firstValue(HttpRequestHandler.CONNECTION_ID_HEADER)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> send(sluice, "GET", "/readyz").statusCode() == 200);
            assertThat(send(sluice, "GET", "/readyz").body()).isEqualTo("ready");

            HttpResponse<String> head = send(sluice, "HEAD", "/readyz");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(send(sluice, "HEAD", "/healthz").statusCode()).isEqualTo(200);

            HttpResponse<String> post = send(sluice, "POST", "/healthz");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(post.body()).doesNotContain("sluice").doesNotContain("mongodb");
        }
    }

    @Test
    void probesIgnoreTheHostAndOriginRulesThatRefuseBrowsers() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            int port = sluice.server().httpAddress().getPort();
            try (RawHttp raw = new RawHttp(port)) {
                RawHttp.Response probe = raw.send("GET /healthz HTTP/1.1", null, "Host: 10.1.2.3:8080",
                        "Origin: http://evil.example", "Sec-Fetch-Site: cross-site").read();
                assertThat(probe.status()).isEqualTo(200);
                assertThat(probe.body()).isEqualTo("ok");
                assertThat(probe.hasCorsHeader()).isFalse();
                RawHttp.Response api = raw.send("GET /api/connections HTTP/1.1", null, "Host: 10.1.2.3:8080").read();
                assertThat(api.status()).as("the guard still refuses a foreign Host elsewhere").isEqualTo(403);
            }
        }
    }

    @Test
    void withAuthorizationOnProbesNeedNoCredentialsAndDrainDoes() throws Exception {
        ConfigFile file = ConfigFile.parse("security:\n  authorization: enabled\n", "test");
        try (SluiceHarness sluice = SluiceHarness.start(null, file)) {
            assertThat(send(sluice, "GET", "/healthz").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> send(sluice, "GET", "/readyz").statusCode() == 200);
            assertThat(send(sluice, "GET", "/api/connections").statusCode()).isEqualTo(401);
            URI drain = URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort() + "/api/drain");
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(drain).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(sluice.server().draining()).isFalse();
            assertThat(send(sluice, "GET", "/readyz").body()).isEqualTo("ready");
        }
    }

    @Test
    void probesCountAgainstHttpMaxConnections() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("httpMaxConnections: 2", "test"))) {
            int port = sluice.server().httpAddress().getPort();
            try (RawHttp a = new RawHttp(port); RawHttp b = new RawHttp(port)) {
                assertThat(a.send("GET /healthz HTTP/1.1", null, "Host: probe").read().status()).isEqualTo(200);
                assertThat(b.send("GET /healthz HTTP/1.1", null, "Host: probe").read().status()).isEqualTo(200);
                long rejected = sluice.server().registry().totalRejected("http");
                try (RawHttp third = new RawHttp(port)) {
                    third.send("GET /healthz HTTP/1.1", null, "Host: probe");
                    int first;
                    try {
                        first = third.socket().getInputStream().read();
                    } catch (java.net.SocketException reset) {
                        first = -1; // closed while the request was unread: the kernel answers with a reset
                    }
                    assertThat(first).as("closed without an answer").isEqualTo(-1);
                }
                assertThat(sluice.server().registry().totalRejected("http")).isEqualTo(rejected + 1);
            }
        }
    }

    @Test
    void readyzIsNoUpstreamWhileNoServerCanTakeAPrimaryRead() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + closedPort
                + "/?connectTimeoutMS=500&heartbeatFrequencyMS=500")) {
            assertThat(send(sluice, "GET", "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = send(sluice, "GET", "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("no-upstream");
        }
    }
}

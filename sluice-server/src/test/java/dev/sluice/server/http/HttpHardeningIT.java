package dev.sluice.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP connector against the attacks that worked before it was hardened: cross-site requests
 * (CSRF through text/plain and form bodies, foreign Origin), DNS rebinding (foreign Host), and
 * slow or idle connections and connection floods. A running Sluice over real sockets.
 */
class HttpHardeningIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int port(SluiceHarness sluice) {
        return sluice.server().httpAddress().getPort();
    }

    private static String host(SluiceHarness sluice) {
        return "Host: 127.0.0.1:" + port(sluice);
    }

    private static List<String> mongodbIds(ConnectionRegistry registry) {
        List<String> ids = new ArrayList<>();
        for (ConnectionEntry entry : registry.snapshot()) {
            if (entry.connector().equals("mongodb")) {
                ids.add(entry.connectionId());
            }
        }
        return ids;
    }

    private static int available(SluiceHarness sluice) {
        return sluice.server().cluster().statistics().get(0).available();
    }

    @Test
    void crossSiteKillAndDropAreRefusedAndTheDriversConnectionsAndPoolSurvive() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri("appName=victim"))) {
            client.getDatabase("test").runCommand(new Document("count", "c"));
            List<String> ids = mongodbIds(sluice.server().registry());
            assertThat(ids).isNotEmpty();
            int pooled = available(sluice);
            assertThat(pooled).isPositive();
            String kill = "{\"ids\": " + JSON.writeValueAsString(ids) + "}";
            String drop = "{\"hostAndPort\": [\"" + sluice.server().cluster().statistics().get(0).host() + "\"]}";
            int port = port(sluice);

            // fetch(..., {mode: "no-cors", headers: {"Content-Type": "text/plain"}}) and <form enctype="text/plain">
            for (String path : List.of("/api/connections/kill", "/api/dropConnections")) {
                String body = path.endsWith("kill") ? kill : drop;
                for (String[] headers : List.of(
                        new String[] {host(sluice), "Content-Type: text/plain"},
                        new String[] {host(sluice), "Content-Type: text/plain;charset=UTF-8"},
                        new String[] {host(sluice), "Content-Type: application/x-www-form-urlencoded"},
                        new String[] {host(sluice), "Content-Type: multipart/form-data; boundary=x"},
                        new String[] {host(sluice), "Content-Type: application/jsonp"},
                        new String[] {host(sluice)})) {
                    RawHttp.Response refused = RawHttp.exchange(port, "POST " + path + " HTTP/1.1", body, headers);
                    assertThat(refused.status()).as("%s %s", path, List.of(headers)).isEqualTo(415);
                    assertThat(refused.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
                    assertThat(JSON.readTree(refused.body()).get("message").asText()).contains("application/json");
                    assertThat(refused.hasCorsHeader()).isFalse();
                }
                // what a browser really sends cross-origin: the foreign Origin is refused first
                RawHttp.Response foreign = RawHttp.exchange(port, "POST " + path + " HTTP/1.1", body, host(sluice),
                        "Origin: http://evil.example", "Sec-Fetch-Site: cross-site", "Content-Type: text/plain");
                assertThat(foreign.status()).isEqualTo(403);
                for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (port + 1),
                        "https://127.0.0.1:" + port)) {
                    RawHttp.Response json = RawHttp.exchange(port, "POST " + path + " HTTP/1.1", body, host(sluice),
                            "Origin: " + origin, "Content-Type: application/json");
                    assertThat(json.status()).as(origin).isEqualTo(403);
                    assertThat(JSON.readTree(json.body()).get("message").asText()).contains("Origin '" + origin + "'");
                    assertThat(json.hasCorsHeader()).isFalse();
                }
                RawHttp.Response crossSite = RawHttp.exchange(port, "POST " + path + " HTTP/1.1", body, host(sluice),
                        "Sec-Fetch-Site: cross-site", "Content-Type: application/json");
                assertThat(crossSite.status()).isEqualTo(403);
            }

            assertThat(mongodbIds(sluice.server().registry())).containsAll(ids);
            assertThat(available(sluice)).isEqualTo(pooled);
            assertThat(client.getDatabase("test").runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);

            // the same requests as Sluice's own dashboard sends them do act: the refusals above were not vacuous
            RawHttp.Response dropped = RawHttp.exchange(port, "POST /api/dropConnections HTTP/1.1", drop, host(sluice),
                    "Origin: http://127.0.0.1:" + port, "Sec-Fetch-Site: same-origin",
                    "Content-Type: application/json; charset=utf-8");
            assertThat(dropped.status()).isEqualTo(200);
            assertThat(available(sluice)).isZero();
            RawHttp.Response killed = RawHttp.exchange(port, "POST /api/connections/kill HTTP/1.1", kill, host(sluice),
                    "Content-Type: application/json");
            assertThat(killed.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                    .allMatch(id -> sluice.server().registry().find(id) == null));
        }
    }

    @Test
    void aPreflightIsRefusedAndNoResponseCarriesACorsHeader() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            int port = port(sluice);
            RawHttp.Response preflight = RawHttp.exchange(port, "OPTIONS /api/connections/kill HTTP/1.1", null,
                    host(sluice), "Origin: http://evil.example", "Access-Control-Request-Method: POST",
                    "Access-Control-Request-Headers: content-type");
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(preflight.hasCorsHeader()).isFalse();
            RawHttp.Response sameOriginOptions = RawHttp.exchange(port, "OPTIONS /api/connections HTTP/1.1", null,
                    host(sluice));
            assertThat(sameOriginOptions.status()).isEqualTo(405);
            assertThat(sameOriginOptions.hasCorsHeader()).isFalse();
            for (String path : List.of("/", "/app.js", "/api/connections", "/api/pools", "/api/history", "/metrics")) {
                RawHttp.Response ok = RawHttp.exchange(port, "GET " + path + " HTTP/1.1", null, host(sluice));
                assertThat(ok.status()).as(path).isEqualTo(200);
                assertThat(ok.hasCorsHeader()).as(path).isFalse();
                assertThat(ok.headers()).containsEntry("x-frame-options", "DENY")
                        .containsEntry("x-content-type-options", "nosniff");
            }
        }
    }

    @Test
    void aForeignHostIsRefusedOnEveryPathAndLoopbackNamesAreAnswered() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri("appName=secret-app"))) {
            client.getDatabase("test").runCommand(new Document("count", "c"));
            int port = port(sluice);
            for (String path : List.of("/api/connections", "/api/pools", "/api/history", "/metrics", "/", "/app.js")) {
                for (String host : List.of("attacker.example:" + port, "attacker.example", "127.0.0.1.nip.io:" + port,
                        "localhost:" + (port + 1), "127.0.0.1", "evil@127.0.0.1:" + port)) {
                    RawHttp.Response refused = RawHttp.exchange(port, "GET " + path + " HTTP/1.1", null, "Host: " + host);
                    assertThat(refused.status()).as("%s Host: %s", path, host).isEqualTo(403);
                    assertThat(refused.body()).doesNotContain("secret-app").contains("httpAllowedHosts");
                }
            }
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "LOCALHOST:" + port, "[::1]:" + port)) {
                RawHttp.Response ok = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null, "Host: " + host,
                        "Origin: http://" + host);
                assertThat(ok.status()).as(host).isEqualTo(200);
                assertThat(ok.body()).contains("secret-app");
            }
            RawHttp.Response noHost = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null);
            assertThat(noHost.status()).isEqualTo(400);
            assertThat(noHost.body()).doesNotContain("secret-app").contains("Host header is required");
            RawHttp.Response twoHosts = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null, host(sluice),
                    "Host: attacker.example");
            assertThat(twoHosts.status()).isEqualTo(400);
        }
    }

    @Test
    void namesOfHttpAllowedHostsAreAnsweredOnAnyPort() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null,
                ConfigFile.parse("httpAllowedHosts: [sluice.internal, Ops.Example.NET]\n", "test"))) {
            int port = port(sluice);
            for (String host : List.of("sluice.internal", "sluice.internal:8080", "ops.example.net:" + port)) {
                RawHttp.Response ok = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null, "Host: " + host);
                assertThat(ok.status()).as(host).isEqualTo(200);
            }
            RawHttp.Response post = RawHttp.exchange(port, "POST /api/connections/kill HTTP/1.1", "{\"ids\": []}",
                    "Host: sluice.internal:8080", "Origin: http://sluice.internal:8080", "Content-Type: application/json");
            assertThat(post.status()).isEqualTo(200);
            RawHttp.Response other = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null,
                    "Host: other.internal:" + port);
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.body()).contains("sluice.internal");
        }
    }

    @Test
    void aSlowHeaderSenderGets408AndIsClosedAndCounted() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("httpRequestTimeoutMS: 300\n", "test"));
             Socket socket = new Socket("127.0.0.1", port(sluice))) {
            ConnectionRegistry registry = sluice.server().registry();
            AtomicBoolean stop = new AtomicBoolean();
            // one header byte every 50 ms, forever: each byte on time, the request never complete
            Thread sender = new Thread(() -> {
                byte[] start = ("GET /api/pools HTTP/1.1\r\n" + host(sluice) + "\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; !stop.get(); i++) {
                        out.write(i < start.length ? start[i] : 'a');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by Sluice: what this test expects
                }
            }, "slow-header-sender");
            sender.setDaemon(true);
            long started = System.nanoTime();
            sender.start();
            try {
                String answer = readUntilClosed(socket);
                assertThat(answer).satisfiesAnyOf(
                        a -> assertThat(a).startsWith("HTTP/1.1 408").contains("httpRequestTimeoutMS"),
                        a -> assertThat(a).isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            } finally {
                stop.set(true);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 0);
            assertThat(registry.limitCloses("http", "httpRequestTimeoutMS")).isEqualTo(1);
            assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isZero();
        }
    }

    @Test
    void aSlowBodyGets408NamingTheSetting() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("httpRequestTimeoutMS: 300\n", "test"));
             Socket socket = new Socket("127.0.0.1", port(sluice))) {
            socket.getOutputStream().write(("POST /api/connections/kill HTTP/1.1\r\n" + host(sluice)
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ids\":").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = readUntilClosed(socket);
            assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").containsIgnoringCase("Connection: close")
                    .contains("\"message\":\"request not received in full within 300 ms (httpRequestTimeoutMS)\"");
            assertThat(sluice.server().registry().limitCloses("http", "httpRequestTimeoutMS")).isEqualTo(1);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterHttpIdleTimeoutMSAndABusyOneIsNot() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("httpIdleTimeoutMS: 1500\n", "test"));
             RawHttp http = new RawHttp(port(sluice))) {
            ConnectionRegistry registry = sluice.server().registry();
            long started = System.nanoTime();
            // requests 100 ms apart for well over httpIdleTimeoutMS: the connection is never idle that long
            // (the margin is wide because the machine running the tests may be busy)
            for (int i = 0; i < 20; i++) {
                assertThat(http.send("GET /api/pools HTTP/1.1", null, host(sluice)).read().status()).isEqualTo(200);
                Thread.sleep(100);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1_900));
            assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isZero();
            // then silence: closed
            assertThat(http.socket().getInputStream().read()).isEqualTo(-1);
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 0);
            assertThat(registry.limitCloses("http", "httpIdleTimeoutMS")).isEqualTo(1);
        }
    }

    @Test
    void pastHttpMaxConnectionsANewConnectionIsClosedAndCountedWhileTheOpenOnesAreServed() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.parse("httpMaxConnections: 3\n", "test"));
             RawHttp a = new RawHttp(port(sluice));
             RawHttp b = new RawHttp(port(sluice));
             RawHttp c = new RawHttp(port(sluice))) {
            ConnectionRegistry registry = sluice.server().registry();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 3);
            try (Socket fourth = new Socket("127.0.0.1", port(sluice))) {
                fourth.setSoTimeout(5_000);
                assertThat(readUntilClosed(fourth)).isEmpty();
            }
            assertThat(registry.totalRejected("http")).isEqualTo(1);
            for (RawHttp open : List.of(a, b, c)) {
                RawHttp.Response ok = open.send("GET /api/connections HTTP/1.1", null, host(sluice)).read();
                assertThat(ok.status()).isEqualTo(200);
                JsonNode rows = JSON.readTree(ok.body());
                assertThat(rows.findValuesAsText("connector").stream().filter("http"::equals)).hasSize(3);
            }
            a.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 2);
            assertThat(RawHttp.exchange(port(sluice), "GET /metrics HTTP/1.1", null, host(sluice)).status()).isEqualTo(200);
            assertThat(registry.totalRejected("http")).isEqualTo(1);
        }
    }

    @Test
    void headersPastTheirBoundAre431() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            RawHttp.Response big = RawHttp.exchange(port(sluice), "GET /api/pools HTTP/1.1", null, host(sluice),
                    "X-Big: " + "a".repeat(HttpConnector.MAX_HEADER_BYTES));
            assertThat(big.status()).isEqualTo(431);
            assertThat(big.body()).contains(String.valueOf(HttpConnector.MAX_HEADER_BYTES));
        }
    }

    /** Everything the server sends until it closes (a reset after its answer counts as closed). */
    private static String readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketException reset) {
            // Sluice closed while the client was still sending
        }
        return text.toString();
    }
}

package dev.sluice.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.config.HttpSettings;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HttpConnectorTest {
    private static final String AGENT = "sluice-test/1.0";
    private final ObjectMapper json = new ObjectMapper();
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HistorySampler history = new HistorySampler(registry, pools, Clock.systemUTC());
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EventLoopGroup group;
    private HttpConnector connector;
    private URI base;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        connector = new HttpConnector(new InetSocketAddress("127.0.0.1", 0), group, group,
                NioServerSocketChannel.class, registry, new ConnectionAdmin(registry, pools), meters, metrics, history,
                HttpSettings.defaults(), Clock.systemUTC());
        InetSocketAddress bound = connector.start();
        assertThat(bound.getPort()).isPositive();
        base = URI.create("http://127.0.0.1:" + bound.getPort());
    }

    @AfterEach
    void stop() {
        connector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("User-Agent", AGENT);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return json.readTree(response.body());
    }

    @Test
    void listsEveryConnectionIncludingTheHttpConnectionAskingWithItsUserAgent() throws Exception {
        ConnectionEntry app = fakes.add("mongodb", "10.1.1.1:5000");
        app.appName("billing");

        HttpResponse<String> response = send("GET", "/api/connections", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode rows = body(response);
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get("connectionId").asText()).isEqualTo(app.connectionId());
        assertThat(first.get("appName").asText()).isEqualTo("billing");
        assertThat(first.get("username").isNull()).isTrue();
        java.util.List<String> fields = new java.util.ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("connectionId",
                "connectTime", "connector", "username", "userAgent", "serverAddress", "clientAddress", "status",
                "appName", "driver", "opCount", "bytesIn", "bytesOut", "currentOp", "currentOpRunningMillis",
                "pinnedHost");
        JsonNode self = rows.get(1);
        assertThat(self.get("connectionId").asText()).startsWith("http-");
        assertThat(self.get("connector").asText()).isEqualTo("http");
        assertThat(self.get("userAgent").asText()).isEqualTo(AGENT);
        assertThat(self.get("status").asText()).isEqualTo("Running");
        assertThat(self.get("currentOp").asText()).isEqualTo("GET /api/connections");
        assertThat(self.get("clientAddress").asText()).startsWith("127.0.0.1:");
        assertThat(self.get("serverAddress").asText()).isEqualTo("127.0.0.1:" + base.getPort());
    }

    @Test
    void everyResponseNamesTheHttpConnectionThatServedItSoTheDashboardCanSpareItself() throws Exception {
        HttpResponse<String> response = send("GET", "/api/connections", null);
        String self = body(response).get(0).get("connectionId").asText();
        assertThat(response.headers().firstValue(HttpRequestHandler.CONNECTION_ID_HEADER)).contains(self);
        assertThat(send("GET", "/api/nothing", null).headers().firstValue(HttpRequestHandler.CONNECTION_ID_HEADER))
                .contains(self);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void killsConnectionsByIdInTheGivenOrder() throws Exception {
        ConnectionEntry a = fakes.add("mongodb", "c:1");
        a.username("alice");
        ConnectionEntry b = fakes.add("mongodb", "c:2");

        HttpResponse<String> response = send("POST", "/api/connections/kill",
                "{\"ids\": [\"" + b.connectionId() + "\", \"mongodb-404\", \"" + a.connectionId() + "\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(json.readTree("{\"results\": ["
                + "{\"connectionId\": \"" + b.connectionId() + "\", \"username\": null, \"message\": \"Connection found\"},"
                + "{\"connectionId\": \"mongodb-404\", \"username\": \"n/a\", \"message\": \"No connection found with this id\"},"
                + "{\"connectionId\": \"" + a.connectionId() + "\", \"username\": \"alice\", \"message\": \"Connection found\"}]}"));
        assertThat(fakes.killed()).containsExactly(b.connectionId(), a.connectionId());
    }

    @Test
    void deleteKillsOneConnectionAndAnswers404ForAnUnknownId() throws Exception {
        ConnectionEntry a = fakes.add("mongodb", "c:1");

        HttpResponse<String> found = send("DELETE", "/api/connections/" + a.connectionId(), null);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(body(found).get("message").asText()).isEqualTo("Connection found");
        assertThat(fakes.killed()).containsExactly(a.connectionId());

        HttpResponse<String> missing = send("DELETE", "/api/connections/" + a.connectionId(), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(body(missing)).isEqualTo(json.readTree("{\"connectionId\": \"" + a.connectionId()
                + "\", \"username\": \"n/a\", \"message\": \"No connection found with this id\"}"));
    }

    @Test
    void anHttpConnectionKillingItselfStillGetsItsAnswerThenIsClosedAndUnregistered() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 1);
            String id = registry.snapshot().get(0).connectionId();
            OutputStream out = socket.getOutputStream();
            out.write(("DELETE /api/connections/" + id + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort()
                    + "\r\nUser-Agent: raw\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(10_000);
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200 OK").contains("\"message\":\"Connection found\"");
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(id) == null);
        }
    }

    @Test
    void aConnectionClosedByTheClientIsUnregistered() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.getOutputStream().write(("GET /api/pools HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            assertThat(new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 0);
        assertThat(registry.totalAccepted("http")).isEqualTo(1);
    }

    private static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes();
    }

    @Test
    void dropConnectionsDropsTheNamedPools() throws Exception {
        pools.host("db1:27017", 1, 3, 0, 100, 0);

        HttpResponse<String> response = send("POST", "/api/dropConnections",
                "{\"hostAndPort\": [\"db1:27017\", \"garbage\", 7, \"db2:27017\"], \"comment\": {\"why\": \"failover\"}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo(json.readTree("{\"ok\": 1}"));
        assertThat(pools.dropCalls()).containsExactly("db1:27017", "db2:27017");
    }

    @Test
    void badJsonIsA400NamingTheProblem() throws Exception {
        HttpResponse<String> response = send("POST", "/api/connections/kill", "{\"ids\": [");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = body(response);
        assertThat(error.get("error").asText()).isEqualTo("Bad Request");
        assertThat(error.get("message").asText()).startsWith("request body is not valid JSON");
    }

    @Test
    void wrongOrMissingFieldsAre400sNamingTheField() throws Exception {
        HttpResponse<String> notArray = send("POST", "/api/dropConnections", "{\"hostAndPort\": \"db1:27017\"}");
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(body(notArray).get("message").asText())
                .isEqualTo("field 'hostAndPort' must be an array of \"host:port\" strings, found string");

        HttpResponse<String> missing = send("POST", "/api/connections/kill", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(body(missing).get("message").asText()).contains("'ids' is required");

        HttpResponse<String> badId = send("POST", "/api/connections/kill", "{\"ids\": [3]}");
        assertThat(body(badId).get("message").asText()).contains("'ids[0]' must be a string");

        HttpResponse<String> notObject = send("POST", "/api/connections/kill", "[1]");
        assertThat(body(notObject).get("message").asText()).isEqualTo("request body must be a JSON object, found array");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception {
        HttpResponse<String> unknown = send("GET", "/api/nothing", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(body(unknown).get("error").asText()).isEqualTo("Not Found");

        HttpResponse<String> wrong = send("POST", "/api/connections", "{}");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).contains("GET");
        assertThat(body(wrong).get("message").asText()).isEqualTo("POST is not allowed on /api/connections; use GET");

        assertThat(send("GET", "/api/connections/kill", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/api/connections/mongodb-1", null).headers().firstValue("Allow")).contains("DELETE");
        assertThat(send("DELETE", "/metrics", null).statusCode()).isEqualTo(405);
    }

    @Test
    void poolsLookLikeConnPoolStats() throws Exception {
        pools.host("db1:27017", 2, 3, 1, 100, 4);
        JsonNode reply = body(send("GET", "/api/pools", null));
        assertThat(reply.get("totalInUse").asInt()).isEqualTo(2);
        assertThat(reply.get("totalAvailable").asInt()).isEqualTo(3);
        assertThat(reply.get("totalRefreshing").asInt()).isEqualTo(1);
        JsonNode host = reply.get("hosts").get("db1:27017");
        assertThat(host.get("inUse").asInt()).isEqualTo(2);
        assertThat(host.get("maxPoolSize").asInt()).isEqualTo(100);
        assertThat(host.get("waitQueueSize").asInt()).isEqualTo(4);
    }

    @Test
    void topologyEndpointGivesTheTypeAndEachServersRoleRoundTripPoolAndError() throws Exception {
        pools.host("db1:27017", 2, 3, 1, 100, 4).topology(dev.sluice.server.admin.Topologies.replicaSet());
        JsonNode reply = body(send("GET", "/api/topology", null));
        assertThat(reply.get("type").asText()).isEqualTo("ReplicaSetWithPrimary");
        assertThat(reply.get("setName").asText()).isEqualTo("rs0");
        JsonNode servers = reply.get("servers");
        assertThat(servers).hasSize(3);
        assertThat(servers.get(0).get("address").asText()).isEqualTo("db1:27017");
        assertThat(servers.get(0).get("type").asText()).isEqualTo("RSPrimary");
        assertThat(servers.get(0).get("role").asText()).isEqualTo("primary");
        assertThat(servers.get(0).get("rttMillis").asDouble()).isEqualTo(1.4);
        assertThat(servers.get(0).get("tags").get("dc").asText()).isEqualTo("east");
        assertThat(servers.get(0).get("pool").get("inUse").asInt()).isEqualTo(2);
        assertThat(servers.get(1).get("pool").isNull()).isTrue();
        assertThat(servers.get(2).get("role").asText()).isEqualTo("unknown");
        assertThat(servers.get(2).get("rttMillis").isNull()).isTrue();
        assertThat(servers.get(2).get("error").asText()).isEqualTo("connection refused");
        assertThat(send("POST", "/api/topology", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void historyServesTheSampledPoints() throws Exception {
        fakes.add("mongodb", "c:1");
        pools.host("db1:27017", 2, 3, 0, 100, 0);
        history.sample();
        JsonNode reply = body(send("GET", "/api/history", null));
        assertThat(reply.get("windowSeconds").asInt()).isEqualTo(600);
        assertThat(reply.get("resolutionSeconds").asInt()).isEqualTo(2);
        assertThat(reply.get("points")).hasSize(1);
        JsonNode point = reply.get("points").get(0);
        assertThat(point.get("clients").asInt()).isEqualTo(1);
        assertThat(point.get("backendInUse").asInt()).isEqualTo(2);
        assertThat(point.get("backendAvailable").asInt()).isEqualTo(3);
        assertThat(point.get("time").asLong()).isPositive();
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        fakes.add("mongodb", "c:1");
        pools.host("db1:27017", 2, 3, 0, 100, 0);
        HttpResponse<String> response = send("GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE sluice_client_connections gauge",
                "sluice_client_connections{connector=\"mongodb\"} 1",
                "sluice_client_connections{connector=\"http\"} 1",
                "sluice_backend_connections{host=\"db1:27017\",state=\"inUse\"} 2",
                "sluice_backend_wait_queue{host=\"db1:27017\"} 0");
    }

    @Test
    void servesTheDashboard() throws Exception {
        HttpResponse<String> page = send("GET", "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<table id=\"connections\"").contains("app.js");
        assertThat(send("GET", "/index.html", null).body()).isEqualTo(page.body());
        HttpResponse<String> script = send("GET", "/app.js", null);
        assertThat(script.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("api/connections");
        assertThat(send("GET", "/app.css", null).headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    }

    @Test
    void aBodyOverOneMebibyteIsRefused() throws Exception {
        String big = "{\"ids\": [\"" + "x".repeat(HttpConnector.MAX_CONTENT_LENGTH) + "\"]}";
        HttpResponse<String> response = send("POST", "/api/connections/kill", big);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void closeClosesOpenHttpConnections() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 1);
            connector.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.currentCount("http") == 0);
            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }
}

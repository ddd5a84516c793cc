package dev.sluice.server.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.admin.KillResult;
import dev.sluice.server.admin.SubjectAccessPolicy;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.HttpSettings;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import dev.sluice.server.testing.SluiceHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP connector with authorization on, over real sockets: HTTP Basic with the users of the
 * mongodb connector, the dashboard's session cookie and CSRF token, the wire's privileges per
 * route, the audit log and the slowdown of repeated failures. The connector runs over a real
 * registry and the real connection admin with the {@link SubjectAccessPolicy}; the "mongodb"
 * connections are registry entries carrying their user's subject, as authenticated wire
 * connections do.
 */
class HttpAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG = "not-the-password";

    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HistorySampler history = new HistorySampler(registry, pools, Clock.systemUTC());
    private final TestUsers users = new TestUsers()
            .add("alice", "admin", "alice-pw", "readWrite@test")
            .add("carol", "test", "carol-pw", "read@test")
            .add("monitor", "admin", "monitor-pw", "clusterMonitor")
            .add("ops", "admin", "ops-pw", "clusterAdmin");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private EventLoopGroup group;
    private HttpConnector connector;
    private URI base;
    private ConnectionEntry aliceApp;
    private ConnectionEntry carolApp;
    private ConnectionEntry anonymous;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        startConnector(HttpSettings.defaults());
        aliceApp = fakes.add("mongodb", "10.0.0.1:5000");
        aliceApp.subject(users.subjectOf("alice", "admin"));
        carolApp = fakes.add("mongodb", "10.0.0.2:5000");
        carolApp.subject(users.subjectOf("carol", "test"));
        anonymous = fakes.add("mongodb", "10.0.0.3:5000");
        pools.host("db1:27017", 1, 3, 0, 100, 0);
        audit.start();
        ((Logger) LoggerFactory.getLogger(AuthAudit.LOGGER)).addAppender(audit);
    }

    private void startConnector(HttpSettings settings) {
        if (connector != null) {
            connector.close();
        }
        connector = new HttpConnector(new InetSocketAddress("127.0.0.1", 0), group, group,
                NioServerSocketChannel.class, registry,
                new ConnectionAdmin(registry, pools, System::nanoTime, new SubjectAccessPolicy()), meters,
                new SluiceMetrics(meters, registry, pools), history, settings, Clock.systemUTC(),
                HttpAccess.authenticated(users, false));
        base = URI.create("http://127.0.0.1:" + connector.start().getPort());
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(AuthAudit.LOGGER)).detachAppender(audit);
        connector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return client.send(request(method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> as(String user, String password, String method, String path, String body)
            throws Exception {
        return send(method, path, body, "Authorization", basic(user, password));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get("connectionId").asText()));
        return ids;
    }

    private double failures(String reason) {
        var counter = meters.find("sluice.http.authentication.failures").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A dashboard session: its cookie ("sluice_session=...") and CSRF token. */
    private record Login(String cookie, String csrfToken, HttpResponse<String> response) {
    }

    private Login login(String user, String password) throws Exception {
        HttpResponse<String> response = send("POST", "/api/login",
                JSON.createObjectNode().put("user", user).put("password", password).toString(),
                "X-Requested-With", "fetch");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), json(response).get("csrfToken").asText(),
                response);
    }

    @Test
    void basicCredentialsOfAUserAreAcceptedAndFailuresAre401WithAChallengeAndOneAuditLineEach() throws Exception {
        HttpResponse<String> none = send("GET", "/api/connections", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sluice\"");
        assertThat(json(none).get("message").asText()).contains("authentication required");
        assertThat(audit.list).as("no credentials is no attempt").isEmpty();

        assertThat(as("alice", "alice-pw", "GET", "/api/connections", null).statusCode()).isEqualTo(200);
        assertThat(as("carol@test", "carol-pw", "GET", "/api/connections", null).statusCode()).isEqualTo(200);

        HttpResponse<String> wrong = as("alice", WRONG, "GET", "/api/connections", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sluice\"");
        assertThat(json(wrong).get("message").asText()).contains("Authentication failed for user \"alice\"");
        assertThat(as("carol", "carol-pw", "GET", "/api/connections", null).statusCode())
                .as("carol is a user of test, not admin").isEqualTo(401);
        assertThat(failures("credentials")).isEqualTo(2);

        assertThat(audit.list).hasSize(2);
        ILoggingEvent line = audit.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getLoggerName()).isEqualTo("sluice.audit");
        assertThat(line.getFormattedMessage()).contains("authentication failed", "user \"alice\"", "from 127.0.0.1:",
                "HTTP Basic, GET /api/connections", "unknown user or wrong password", "1 failure in a row")
                .doesNotContain(WRONG);
        assertThat(audit.list.get(1).getFormattedMessage()).contains("user \"carol\"", "2 failures in a row");

        HttpResponse<String> bearer = send("GET", "/metrics", null, "Authorization", "Bearer abc");
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(json(bearer).get("message").asText()).contains("'Bearer' is not supported");
        assertThat(failures("malformed")).isEqualTo(1);
        assertThat(audit.list).hasSize(3);

        HttpResponse<String> script = send("GET", "/api/connections", null, "X-Requested-With", "fetch");
        assertThat(script.statusCode()).isEqualTo(401);
        assertThat(script.headers().firstValue("WWW-Authenticate")).as("no browser dialog over the login page").isEmpty();
    }

    @Test
    void aUserWithoutInprogSeesOnlyHerOwnConnectionsAndOthersAreAbsentToHerKill() throws Exception {
        HttpResponse<String> list = as("alice", "alice-pw", "GET", "/api/connections", null);

        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode rows = json(list);
        assertThat(ids(rows)).contains(aliceApp.connectionId())
                .doesNotContain(carolApp.connectionId(), anonymous.connectionId());
        rows.forEach(row -> assertThat(row.get("username").asText()).isEqualTo("alice"));
        String self = list.headers().firstValue(HttpRequestHandler.CONNECTION_ID_HEADER).orElseThrow();
        assertThat(ids(rows)).as("her HTTP connection is hers").contains(self);

        HttpResponse<String> kill = as("alice", "alice-pw", "POST", "/api/connections/kill",
                "{\"ids\": [\"" + carolApp.connectionId() + "\", \"" + anonymous.connectionId() + "\"]}");
        assertThat(kill.statusCode()).isEqualTo(200);
        for (JsonNode result : json(kill).get("results")) {
            assertThat(result.get("message").asText()).isEqualTo(KillResult.NOT_FOUND);
            assertThat(result.get("username").asText()).isEqualTo("n/a");
        }
        HttpResponse<String> delete = as("alice", "alice-pw", "DELETE", "/api/connections/" + carolApp.connectionId(),
                null);
        assertThat(delete.statusCode()).isEqualTo(404);
        assertThat(json(delete).get("message").asText()).isEqualTo(KillResult.NOT_FOUND);
        assertThat(fakes.killed()).isEmpty();

        HttpResponse<String> own = as("alice", "alice-pw", "DELETE", "/api/connections/" + aliceApp.connectionId(), null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json(own).get("username").asText()).isEqualTo("alice");
        assertThat(fakes.killed()).containsExactly(aliceApp.connectionId());
    }

    @Test
    void inprogShowsEveryoneButKillingOthersNeedsKillop() throws Exception {
        JsonNode rows = json(as("monitor", "monitor-pw", "GET", "/api/connections", null));
        assertThat(ids(rows)).contains(aliceApp.connectionId(), carolApp.connectionId(), anonymous.connectionId());

        JsonNode kill = json(as("monitor", "monitor-pw", "POST", "/api/connections/kill",
                "{\"ids\": [\"" + carolApp.connectionId() + "\"]}"));
        assertThat(kill.get("results").get(0).get("message").asText()).isEqualTo(KillResult.NOT_FOUND);
        assertThat(fakes.killed()).isEmpty();
    }

    @Test
    void anAdministratorSeesAndKillsEveryone() throws Exception {
        JsonNode rows = json(as("ops", "ops-pw", "GET", "/api/connections", null));
        assertThat(ids(rows)).contains(aliceApp.connectionId(), carolApp.connectionId(), anonymous.connectionId());
        JsonNode carolRow = null;
        for (JsonNode row : rows) {
            if (row.get("connectionId").asText().equals(carolApp.connectionId())) {
                carolRow = row;
            }
        }
        assertThat(carolRow.get("username").asText()).isEqualTo("carol@test");

        JsonNode kill = json(as("ops", "ops-pw", "POST", "/api/connections/kill",
                "{\"ids\": [\"" + carolApp.connectionId() + "\", \"" + anonymous.connectionId() + "\"]}"));
        assertThat(kill.get("results").get(0).get("username").asText()).isEqualTo("carol@test");
        assertThat(fakes.killed()).containsExactly(carolApp.connectionId(), anonymous.connectionId());
    }

    @Test
    void dropConnectionsNeedsTheDropConnectionsAction() throws Exception {
        String drop = "{\"hostAndPort\": [\"db1:27017\"]}";
        for (String[] user : List.of(new String[] {"alice", "alice-pw"}, new String[] {"monitor", "monitor-pw"})) {
            HttpResponse<String> refused = as(user[0], user[1], "POST", "/api/dropConnections", drop);
            assertThat(refused.statusCode()).isEqualTo(403);
            JsonNode error = json(refused);
            assertThat(error.get("action").asText()).isEqualTo("dropConnections");
            assertThat(error.get("code").asInt()).isEqualTo(13);
            assertThat(error.get("message").asText()).contains("user " + user[0], "dropConnections action on the cluster");
        }
        assertThat(pools.dropCalls()).isEmpty();

        assertThat(as("ops", "ops-pw", "POST", "/api/dropConnections", drop).statusCode()).isEqualTo(200);
        assertThat(pools.dropCalls()).containsExactly("db1:27017");
    }

    @Test
    void poolsNeedConnPoolStatsAndHistoryAndMetricsNeedServerStatus() throws Exception {
        assertThat(json(as("alice", "alice-pw", "GET", "/api/pools", null)).get("action").asText())
                .isEqualTo("connPoolStats");
        assertThat(json(as("alice", "alice-pw", "GET", "/api/topology", null)).get("action").asText())
                .isEqualTo("connPoolStats");
        assertThat(json(as("alice", "alice-pw", "GET", "/api/history", null)).get("action").asText())
                .isEqualTo("serverStatus");
        HttpResponse<String> metrics = as("alice", "alice-pw", "GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(json(metrics).get("action").asText()).isEqualTo("serverStatus");

        assertThat(as("monitor", "monitor-pw", "GET", "/api/pools", null).statusCode()).isEqualTo(200);
        assertThat(as("monitor", "monitor-pw", "GET", "/api/topology", null).statusCode()).isEqualTo(200);
        assertThat(as("monitor", "monitor-pw", "GET", "/api/history", null).statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = as("monitor", "monitor-pw", "GET", "/metrics", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("sluice_http_authentication_failures_total");
    }

    @Test
    void metricsAre401WithoutCredentialsUnlessHttpMetricsWithoutAuthIsOn() throws Exception {
        HttpResponse<String> closed = send("GET", "/metrics", null);
        assertThat(closed.statusCode()).isEqualTo(401);
        assertThat(closed.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sluice\"");

        startConnector(HttpSettings.defaults().withMetricsWithoutAuth(true));
        HttpResponse<String> open = send("GET", "/metrics", null);
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).contains("sluice_");
        assertThat(send("GET", "/api/history", null).statusCode()).as("only /metrics is open").isEqualTo(401);
        assertThat(send("GET", "/api/connections", null).statusCode()).isEqualTo(401);

        assertThat(SluiceConfig.merge(ConfigFile.parse("httpMetricsWithoutAuth: true\n", "test"), null, null, null)
                .server().httpSettings().metricsWithoutAuth()).isTrue();
        assertThat(SluiceConfig.merge(ConfigFile.EMPTY, null, null, null).server().httpSettings().metricsWithoutAuth())
                .isFalse();
    }

    @Test
    void theDashboardLogsInWithASessionCookieAndStateChangesNeedItsCsrfToken() throws Exception {
        for (String page : List.of("/", "/index.html")) {
            HttpResponse<String> loginPage = send("GET", page, null);
            assertThat(loginPage.statusCode()).isEqualTo(200);
            assertThat(loginPage.body()).contains("id=\"login\"").doesNotContain("id=\"connections\"");
        }
        HttpResponse<String> wrong = send("POST", "/api/login", "{\"user\": \"alice\", \"password\": \"x\"}",
                "X-Requested-With", "fetch");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send("POST", "/api/login", "{\"user\": \"alice\"}").statusCode()).isEqualTo(400);

        Login alice = login("alice", "alice-pw");
        String setCookie = alice.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).matches("sluice_session=[A-Za-z0-9_-]{43}; .*")
                .contains("; HTTPOnly", "; SameSite=Strict", "; Path=/").doesNotContain("Secure");
        assertThat(json(alice.response()).get("username").asText()).isEqualTo("alice");
        assertThat(Base64.getUrlDecoder().decode(alice.csrfToken())).hasSize(32);

        assertThat(send("GET", "/", null, "Cookie", alice.cookie()).body()).contains("id=\"connections\"");
        JsonNode session = json(send("GET", "/api/session", null, "Cookie", alice.cookie()));
        assertThat(session.get("csrfToken").asText()).isEqualTo(alice.csrfToken());
        assertThat(session.get("user").asText()).isEqualTo("alice@admin");
        assertThat(session.get("canKillAll").asBoolean()).isFalse();
        assertThat(session.get("actions").get("dropConnections").asBoolean()).isFalse();
        assertThat(ids(json(send("GET", "/api/connections", null, "Cookie", alice.cookie()))))
                .contains(aliceApp.connectionId()).doesNotContain(carolApp.connectionId());

        String target = "/api/connections/" + aliceApp.connectionId();
        HttpResponse<String> noToken = send("DELETE", target, null, "Cookie", alice.cookie());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(json(noToken).get("message").asText()).contains("X-CSRF-Token");
        assertThat(send("DELETE", target, null, "Cookie", alice.cookie(), "X-CSRF-Token", "forged").statusCode())
                .isEqualTo(403);
        assertThat(fakes.killed()).isEmpty();
        assertThat(send("DELETE", target, null, "Cookie", alice.cookie(), "X-CSRF-Token", alice.csrfToken())
                .statusCode()).isEqualTo(200);
        assertThat(fakes.killed()).containsExactly(aliceApp.connectionId());

        assertThat(send("POST", "/api/logout", "{}", "Cookie", alice.cookie()).statusCode()).isEqualTo(403);
        HttpResponse<String> logout = send("POST", "/api/logout", "{}", "Cookie", alice.cookie(),
                "X-CSRF-Token", alice.csrfToken());
        assertThat(logout.statusCode()).isEqualTo(200);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("sluice_session=;")
                .contains("Max-Age=0");
        HttpResponse<String> after = send("GET", "/api/connections", null, "Cookie", alice.cookie());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(json(after).get("message").asText()).contains("expired or ended");
        assertThat(send("GET", "/", null, "Cookie", alice.cookie()).body()).contains("id=\"login\"");
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("http login: user \"alice@admin\" from 127.0.0.1:"))
                .anyMatch(m -> m.contains("http logout: user \"alice@admin\""));
    }

    @Test
    void aNewLoginEndsTheBrowsersPreviousSession() throws Exception {
        Login first = login("alice", "alice-pw");
        HttpResponse<String> again = send("POST", "/api/login", "{\"user\": \"ops\", \"password\": \"ops-pw\"}",
                "Cookie", first.cookie());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/connections", null, "Cookie", first.cookie()).statusCode()).isEqualTo(401);
    }

    @Test
    void aCrossOriginPageCanDoNothingEvenWithAValidSessionCookieAndToken() throws Exception {
        Login ops = login("ops", "ops-pw");
        String kill = "{\"ids\": [\"" + carolApp.connectionId() + "\"]}";
        int port = base.getPort();
        String host = "Host: 127.0.0.1:" + port;
        String cookie = "Cookie: " + ops.cookie();
        String token = "X-CSRF-Token: " + ops.csrfToken();

        for (String[] headers : List.of(
                new String[] {host, cookie, token, "Content-Type: application/json", "Origin: http://evil.example"},
                new String[] {host, cookie, token, "Content-Type: application/json", "Origin: null"},
                new String[] {host, cookie, token, "Content-Type: application/json", "Sec-Fetch-Site: cross-site"},
                new String[] {host, cookie, token, "Content-Type: text/plain"},
                new String[] {"Host: evil.example:" + port, cookie, token, "Content-Type: application/json"})) {
            RawHttp.Response response = RawHttp.exchange(port, "POST /api/connections/kill HTTP/1.1", kill, headers);
            assertThat(response.status()).as(String.join(", ", headers)).isIn(403, 415);
            assertThat(response.hasCorsHeader()).isFalse();
        }
        RawHttp.Response read = RawHttp.exchange(port, "GET /api/connections HTTP/1.1", null, host, cookie,
                "Origin: http://evil.example");
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).doesNotContain(carolApp.connectionId());
        assertThat(fakes.killed()).isEmpty();

        RawHttp.Response sameOrigin = RawHttp.exchange(port, "POST /api/connections/kill HTTP/1.1", kill, host, cookie,
                token, "Content-Type: application/json", "Origin: http://127.0.0.1:" + port);
        assertThat(sameOrigin.status()).as("the dashboard itself may").isEqualTo(200);
        assertThat(fakes.killed()).containsExactly(carolApp.connectionId());
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredLaterAndLaterWithoutBlockingTheEventLoop() throws Exception {
        // httpRequestTimeoutMS 2000: no answer or attempt is held more than 1000 ms
        startConnector(new HttpSettings(HttpSettings.DEFAULT_MAX_CONNECTIONS, 2_000,
                HttpSettings.DEFAULT_IDLE_TIMEOUT_MS, List.of()));
        // warm the client and the key derivation up, so that the timings below are the delays
        assertThat(as("alice", "alice-pw", "GET", "/api/connections", null).statusCode()).isEqualTo(200);
        long first = timed(() -> assertThat(as("alice", WRONG, "GET", "/api/connections", null).statusCode())
                .isEqualTo(401));
        long second = timed(() -> assertThat(as("alice", WRONG, "GET", "/api/connections", null).statusCode())
                .isEqualTo(401));
        assertThat(first).isGreaterThanOrEqualTo(FailedLogins.FIRST_PENALTY_MS);
        assertThat(second).isGreaterThanOrEqualTo(2 * FailedLogins.FIRST_PENALTY_MS).isGreaterThan(first);

        // the third is answered 1000 ms late, on the event loop's timer: meanwhile the loop serves others
        CompletableFuture<HttpResponse<String>> third = client.sendAsync(
                request("GET", "/api/connections", null, "Authorization", basic("alice", WRONG)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(send("GET", "/app.css", null).statusCode()).isEqualTo(200);
        assertThat(third).as("answered while the third is still held (one event loop)").isNotDone();
        assertThat(third.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(401);

        // attempts sent in parallel get slots 1000 ms apart: past the 1000 ms bound they are refused at once
        List<CompletableFuture<HttpResponse<String>>> parallel = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parallel.add(client.sendAsync(request("GET", "/api/connections", null,
                    "Authorization", basic("alice", WRONG)), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : parallel) {
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(statuses).contains(401, 429).containsOnly(401, 429);
        assertThat(failures("throttled")).isEqualTo(statuses.stream().filter(s -> s == 429).count());
        assertThat(audit.list).as("one line per checked failure").hasSize(3 + (int) statuses.stream()
                .filter(s -> s == 401).count());
    }

    @Test
    void answersKeepTheOrderOfPipelinedRequestsWhenOneWaitsForItsPasswordCheck() throws Exception {
        int port = base.getPort();
        try (RawHttp http = new RawHttp(port)) {
            String host = "Host: 127.0.0.1:" + port;
            http.send("GET /api/connections HTTP/1.1\r\n" + host + "\r\nAuthorization: " + basic("alice", "alice-pw")
                    + "\r\n\r\nGET /app.css HTTP/1.1", null, host);
            RawHttp.Response first = http.read();
            RawHttp.Response second = http.read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers().get("content-type")).startsWith("application/json");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.headers().get("content-type")).startsWith("text/css");
        }
    }

    @Test
    void aDroppedUsersSessionEndsAtItsNextRequest() throws Exception {
        Login carol = login("carol@test", "carol-pw");
        assertThat(send("GET", "/api/connections", null, "Cookie", carol.cookie()).statusCode()).isEqualTo(200);
        users.remove("carol", "test");
        assertThat(send("GET", "/api/connections", null, "Cookie", carol.cookie()).statusCode()).isEqualTo(401);
    }

    @Test
    void sluiceWithAuthorizationOnAsksForCredentialsOnItsHttpConnector() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.start(null,
                ConfigFile.parse("security:\n  authorization: enabled\n", "test"))) {
            base = URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort());
            HttpResponse<String> api = send("GET", "/api/connections", null);
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(api.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sluice\"");
            assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(send("GET", "/", null).body()).contains("id=\"login\"");
            assertThat(json(send("GET", "/api/connections", null, "Authorization", basic("admin", "pw")))
                    .get("message").asText()).as("no user yet: the hint says how to create one")
                    .contains("no user exists yet", "createUser");
        }
        try (SluiceHarness sluice = SluiceHarness.start(null,
                ConfigFile.parse("security:\n  authorization: enabled\nhttpMetricsWithoutAuth: true\n", "test"))) {
            base = URI.create("http://127.0.0.1:" + sluice.server().httpAddress().getPort());
            assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/api/pools", null).statusCode()).isEqualTo(401);
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Milliseconds {@code action} took. */
    private static long timed(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}

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

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/connections over 20,000 registered connections: pages of at most httpMaxPageSize rows, filters and
 * sorts applied on the server, keyset and offset paging that together visit every row once, and a limit past
 * the setting refused with a 400 naming it; /metrics has no per-connection series.
 */
class ConnectionPagingTest {
    private static final int CONNECTIONS = 20_000;
    private static final int MAX_PAGE = 500;
    private final ObjectMapper json = new ObjectMapper();
    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ConnectionEntry> entries = new ArrayList<>();
    private EventLoopGroup group;
    private HttpConnector connector;
    private URI base;

    @BeforeEach
    void start() {
        for (int i = 0; i < CONNECTIONS; i++) {
            ConnectionEntry e = fakes.add("mongodb", "10.0." + (i % 200) + "." + (i / 200 % 250) + ":" + (20000 + i));
            e.appName(i % 10 == 0 ? "billing" : "app" + (i % 7));
            e.username(i % 4 == 0 ? "alice" : null);
            entries.add(e);
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SluiceMetrics metrics = new SluiceMetrics(meters, registry, pools);
        connector = new HttpConnector(new InetSocketAddress("127.0.0.1", 0), group, group,
                NioServerSocketChannel.class, registry, new ConnectionAdmin(registry, pools), meters, metrics,
                new HistorySampler(registry, pools, Clock.systemUTC()),
                new HttpSettings(HttpSettings.DEFAULT_MAX_CONNECTIONS, HttpSettings.DEFAULT_REQUEST_TIMEOUT_MS,
                        HttpSettings.DEFAULT_IDLE_TIMEOUT_MS, List.of(), false, MAX_PAGE), Clock.systemUTC());
        base = URI.create("http://127.0.0.1:" + connector.start().getPort());
    }

    @AfterEach
    void stop() {
        connector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void withoutParametersTheFirstPageOfTheSettingsSizeComesWithTheTotalAndTheNextCursor() throws Exception {
        HttpResponse<String> first = get("/api/connections");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode rows = json.readTree(first.body());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(MAX_PAGE);
        assertThat(rows.get(0).get("connectionId").asText()).isEqualTo(entries.get(0).connectionId());
        // the asking HTTP connection is registered too
        assertThat(first.headers().firstValue("X-Total-Count")).contains(Integer.toString(CONNECTIONS + 1));
        assertThat(first.headers().firstValue("X-Next-Cursor")).contains(entries.get(MAX_PAGE - 1).connectionId());
        assertThat(first.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                .contains("cursor=" + entries.get(MAX_PAGE - 1).connectionId(), "rel=\"next\""));
    }

    @Test
    void followingTheCursorVisitsEveryConnectionOnceInIdOrder() throws Exception {
        Set<String> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        String path = "/api/connections?limit=" + MAX_PAGE + "&connector=mongodb";
        int pages = 0;
        while (path != null) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            for (JsonNode row : json.readTree(page.body())) {
                assertThat(seen.add(row.get("connectionId").asText())).isTrue();
                order.add(Long.parseLong(row.get("connectionId").asText().substring("mongodb-".length())));
            }
            pages++;
            path = page.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
        }
        assertThat(pages).isEqualTo(CONNECTIONS / MAX_PAGE);
        assertThat(seen).hasSize(CONNECTIONS);
        assertThat(order).isSorted();
    }

    @Test
    void filtersSortAndOffsetAreAppliedOnTheServer() throws Exception {
        HttpResponse<String> billing = get("/api/connections?app=billing&user=alice&sort=-connectionId&limit=7&offset=3");
        assertThat(billing.statusCode()).isEqualTo(200);
        List<ConnectionEntry> expected = entries.stream()
                .filter(e -> "billing".equals(e.appName()) && "alice".equals(e.username()))
                .sorted((a, b) -> Long.compare(b.sequence(), a.sequence())).toList();
        assertThat(billing.headers().firstValue("X-Total-Count")).contains(Integer.toString(expected.size()));
        assertThat(ids(billing)).containsExactlyElementsOf(
                expected.subList(3, 10).stream().map(ConnectionEntry::connectionId).toList());

        ConnectionEntry one = entries.get(12_345);
        String host = one.clientAddress().substring(0, one.clientAddress().lastIndexOf(':'));
        HttpResponse<String> byHost = get("/api/connections?host=" + host + "&limit=500");
        long sameHost = entries.stream().filter(e -> e.clientAddress().startsWith(host + ":")).count();
        assertThat(byHost.headers().firstValue("X-Total-Count")).contains(Long.toString(sameHost));
        assertThat(ids(byHost)).contains(one.connectionId());

        HttpResponse<String> byApp = get("/api/connections?sort=appName&q=app6&limit=2&offset=0");
        assertThat(json.readTree(byApp.body())).allSatisfy(r -> assertThat(r.get("appName").asText()).isEqualTo("app6"));
        assertThat(byApp.headers().firstValue("X-Next-Offset")).contains("2");
        assertThat(byApp.headers().firstValue("X-Next-Cursor")).isEmpty();
    }

    @Test
    void aLimitPastTheSettingAndBadParametersAreRefusedWithTheirNames() throws Exception {
        HttpResponse<String> tooMany = get("/api/connections?limit=" + (MAX_PAGE + 1));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooMany.body()).get("message").asText())
                .contains("limit: 501", "httpMaxPageSize", "1..500");
        assertThat(message(get("/api/connections?limit=0"))).contains("httpMaxPageSize");
        assertThat(message(get("/api/connections?sort=password"))).contains("sort: 'password'", "connectionId");
        assertThat(message(get("/api/connections?colour=red"))).contains("unknown query parameter 'colour'");
        assertThat(message(get("/api/connections?cursor=mongodb-5&sort=appName"))).contains("cursor works with sort=connectionId");
        assertThat(message(get("/api/connections?offset=abc"))).contains("offset: 'abc' is not a number");
    }

    @Test
    void aScrapeHasNoPerConnectionSeries() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("sluice_client_connections{connector=\"mongodb\"} 20000.0");
        assertThat(metrics.body()).doesNotContain(entries.get(777).connectionId(), entries.get(777).clientAddress());
        assertThat(metrics.body().lines().count()).isLessThan(1_000);
    }

    private String message(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        return json.readTree(response.body()).get("message").asText();
    }

    private List<String> ids(HttpResponse<String> response) throws Exception {
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).forEach(r -> ids.add(r.get("connectionId").asText()));
        return ids;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package dev.sluice.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.TopologyVersion;
import com.mongodb.event.ServerHeartbeatSucceededEvent;
import com.mongodb.event.ServerMonitorListener;
import dev.sluice.server.testing.SimulatedMember;
import dev.sluice.server.testing.SimulatedReplicaSet;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sluice in front of a simulated three-member replica set, seen by the real Java driver and over HTTP: connPoolStats
 * lists the members in mongod's fields, serverStatus and GET /api/topology report the topology, /metrics has the
 * server state, round trip, topology type and selection series; the hello Sluice answers stays a router's and its
 * topologyVersion moves, answering the driver's awaitable hello at once, when the upstream loses and regains every
 * usable server.
 */
class TopologyReportingIT {
    private static final String UPSTREAM_OPTIONS = "&heartbeatFrequencyMS=500";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void connPoolStatsServerStatusTheTopologyEndpointAndMetricsReportTheReplicaSet() throws Exception {
        try (SimulatedReplicaSet rs = SimulatedReplicaSet.start(3);
             SluiceHarness sluice = SluiceHarness.upstream(rs.uri() + UPSTREAM_OPTIONS);
             MongoClient client = MongoClients.create(sluice.uri("appName=topologyReport"))) {
            client.getDatabase("test").getCollection("c").insertOne(new Document("_id", 1));
            String primary = rs.primary().orElseThrow().host();

            // every member is discovered and checked (the secondaries once the primary's hosts list is read)
            List<Document> hosts = await().atMost(Duration.ofSeconds(20)).until(() -> members(client),
                    list -> list.size() == 3 && list.stream().allMatch(h -> h.getBoolean("ok")));
            assertThat(hosts).extracting(h -> h.getString("addr"))
                    .containsExactlyInAnyOrderElementsOf(rs.members().stream().map(SimulatedMember::host).toList());
            assertThat(hosts).filteredOn(h -> h.getBoolean("ismaster")).singleElement()
                    .satisfies(h -> assertThat(h.getString("addr")).isEqualTo(primary));
            assertThat(hosts).filteredOn(h -> h.getBoolean("secondary")).hasSize(2);
            assertThat(hosts).allSatisfy(h -> {
                assertThat(h.getBoolean("hidden")).isFalse();
                assertThat(h.get("pingTimeMillis")).isInstanceOf(Integer.class);
            });

            Document topology = client.getDatabase("admin").runCommand(new Document("serverStatus", 1))
                    .get("sluice", Document.class).get("topology", Document.class);
            assertThat(topology.getString("type")).isEqualTo("ReplicaSetWithPrimary");
            assertThat(topology.getString("setName")).isEqualTo(rs.setName());
            assertThat(topology.getList("servers", Document.class)).hasSize(3)
                    .anySatisfy(s -> assertThat(s.getString("role")).isEqualTo("primary"))
                    .allSatisfy(s -> assertThat(s.get("rttMillis")).isInstanceOf(Double.class));

            JsonNode api = json.readTree(get(sluice, "/api/topology").body());
            assertThat(api.get("type").asText()).isEqualTo("ReplicaSetWithPrimary");
            assertThat(api.get("setName").asText()).isEqualTo(rs.setName());
            List<String> roles = new ArrayList<>();
            for (JsonNode server : api.get("servers")) {
                roles.add(server.get("role").asText());
                assertThat(server.get("rttMillis").isNumber()).isTrue();
                assertThat(server.get("error").isNull()).isTrue();
                if (server.get("address").asText().equals(primary)) {
                    assertThat(server.get("type").asText()).isEqualTo("RSPrimary");
                    assertThat(server.get("pool").get("created").asLong()).as("the insert's connection").isPositive();
                }
            }
            assertThat(roles).containsExactlyInAnyOrder("primary", "secondary", "secondary");

            String metrics = get(sluice, "/metrics").body();
            assertThat(metrics).contains(
                    "sluice_upstream_server_state{host=\"" + primary + "\",type=\"RSPrimary\"} 1",
                    "sluice_upstream_server_state{host=\"" + primary + "\",type=\"RSSecondary\"} 0",
                    "sluice_upstream_server_rtt_seconds{host=\"" + primary + "\"}",
                    "sluice_topology_type{type=\"ReplicaSetWithPrimary\"} 1",
                    "sluice_topology_type{type=\"Sharded\"} 0",
                    "sluice_upstream_selection_wait_seconds_count{outcome=\"selected\"}");
            assertThat(metrics).containsPattern("sluice_upstream_selections_total\\{outcome=\"selected\"} [1-9]");
            for (SimulatedMember secondary : rs.secondaries()) {
                assertThat(metrics).contains(
                        "sluice_upstream_server_state{host=\"" + secondary.host() + "\",type=\"RSSecondary\"} 1");
            }
        }
    }

    @Test
    void theUpstreamLosingAndRegainingEveryServerAnswersTheDriversAwaitableHelloAtOnce() throws Exception {
        CopyOnWriteArrayList<ServerHeartbeatSucceededEvent> beats = new CopyOnWriteArrayList<>();
        try (SimulatedReplicaSet rs = SimulatedReplicaSet.start(3);
             SluiceHarness sluice = SluiceHarness.upstream(rs.uri() + UPSTREAM_OPTIONS);
             // awaitable hellos wait up to 30 s: only a topology change answers one sooner
             MongoClient client = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(sluice.uri("heartbeatFrequencyMS=30000")))
                     .applyToServerSettings(s -> s.addServerMonitorListener(new ServerMonitorListener() {
                         @Override
                         public void serverHeartbeatSucceeded(ServerHeartbeatSucceededEvent event) {
                             beats.add(event);
                         }
                     })).build())) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            await().atMost(Duration.ofSeconds(20)).until(() -> sluice.server().registry().snapshot().stream()
                    .anyMatch(e -> e.helloWait() != 0));
            TopologyVersion before = topologyVersion(client);

            for (SimulatedMember m : rs.members()) {
                rs.stop(m);
            }
            // well before the 30 s the awaitable hello waits, the driver has Sluice's new topologyVersion
            await().atMost(Duration.ofSeconds(10)).until(() -> topologyVersion(client).getCounter() > before.getCounter());
            TopologyVersion lost = topologyVersion(client);
            assertThat(lost.getProcessId()).isEqualTo(before.getProcessId());
            assertThat(beats).anyMatch(ServerHeartbeatSucceededEvent::isAwaited);
            ServerDescription router = client.getClusterDescription().getServerDescriptions().get(0);
            assertThat(router.getType()).as("still a router").isEqualTo(com.mongodb.connection.ServerType.SHARD_ROUTER);

            for (SimulatedMember m : rs.members()) {
                rs.start(m);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> topologyVersion(client).getCounter() > lost.getCounter());
            assertThat(client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok")).isNotNull();
        }
    }

    private static TopologyVersion topologyVersion(MongoClient client) {
        List<ServerDescription> servers = client.getClusterDescription().getServerDescriptions();
        return servers.isEmpty() || servers.get(0).getTopologyVersion() == null
                ? new TopologyVersion(new org.bson.types.ObjectId(), -1) : servers.get(0).getTopologyVersion();
    }

    private static List<Document> members(MongoClient client) {
        Document sets = client.getDatabase("admin").runCommand(new Document("connPoolStats", 1))
                .get("replicaSets", Document.class);
        Document set = sets.get("rs0", Document.class);
        return set == null ? List.of() : set.getList("hosts", Document.class);
    }

    private HttpResponse<String> get(SluiceHarness sluice, String path) throws Exception {
        var a = sluice.server().httpAddress();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://" + a.getHostString() + ":" + a.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response;
    }
}

package dev.sluice.server.fleet;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several Sluices in front of one cluster (here a Sluice with the embedded backend, which stores the
 * fleet's documents as a cluster would): the fleet view, kills forwarded between instances, and the
 * connection budget held while instances join and leave.
 */
class FleetIT {
    private static final String FLEET = "fleet: {enabled: true, heartbeatIntervalMS: 200, instanceTimeoutMS: 1500%s}";

    private static SluiceHarness member(SluiceHarness cluster, String extra) throws InterruptedException {
        return SluiceHarness.start(cluster.uri(), ConfigFile.parse(String.format(FLEET, extra), "FleetIT"));
    }

    private static String id(SluiceHarness sluice) {
        return sluice.server().fleet().selfId();
    }

    @Test
    void everyInstanceListsTheFleetsConnectionsAndAKillReachesTheInstanceHoldingTheConnection() throws Exception {
        try (SluiceHarness cluster = SluiceHarness.embedded();
             SluiceHarness b = member(cluster, "");
             SluiceHarness c = member(cluster, "");
             MongoClient onB = MongoClients.create(b.uri("appName=onB"));
             MongoClient onC = MongoClients.create(c.uri("appName=onC"))) {
            onB.getDatabase("admin").runCommand(new Document("ping", 1));
            onC.getDatabase("admin").runCommand(new Document("ping", 1));
            await().atMost(Duration.ofSeconds(20)).until(() -> b.server().fleet().instances().get("instances").size() == 2
                    && c.server().fleet().instances().get("instances").size() == 2);

            Document listed = onB.getDatabase("admin").runCommand(new Document("listConnections", 1)
                    .append("fleet", true).append("filter", new Document("appName", "onC")));
            Document cursor = listed.get("cursor", Document.class);
            List<Document> rows = cursor.getList("firstBatch", Document.class);
            assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.getString("instance")).isEqualTo(id(c)));
            assertThat(listed.getList("unreachableInstances", String.class)).isEmpty();
            Document all = onB.getDatabase("admin").runCommand(new Document("listConnections", 1).append("fleet", true));
            assertThat(all.get("cursor", Document.class).getList("firstBatch", Document.class))
                    .extracting(row -> row.getString("instance")).contains(id(b), id(c));

            String victim = rows.get(0).getString("connectionId");
            assertThat(c.server().registry().find(victim)).isNotNull();
            Document killed = onB.getDatabase("admin").runCommand(new Document("killConnection", victim)
                    .append("instance", id(c)));
            assertThat(killed.getList("results", Document.class).get(0).getString("message"))
                    .isEqualTo("Connection found");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.server().registry().find(victim) == null);

            Document unknown = onB.getDatabase("admin").runCommand(new Document("killConnection", victim)
                    .append("instance", id(c)));
            assertThat(unknown.getList("results", Document.class).get(0).getString("message"))
                    .isEqualTo("No connection found with this id");
            MongoException gone = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> onB.getDatabase("admin").runCommand(new Document("killConnection", "mongodb-1")
                            .append("instance", "no-such-instance")), MongoException.class);
            assertThat(gone.getCode()).isEqualTo(6);
            assertThat(gone.getMessage()).contains("no live instance no-such-instance");
        }
    }

    @Test
    void aForgedPeerRequestIsRefused() throws Exception {
        try (SluiceHarness cluster = SluiceHarness.embedded(); SluiceHarness b = member(cluster, "")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> b.server().fleet().instances().get("instances").size() == 1);
            var http = java.net.http.HttpClient.newHttpClient();
            var address = b.server().httpAddress();
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + address.getHostString() + ":"
                            + address.getPort() + PeerClient.PATH))
                    .header("Content-Type", "application/json")
                    .header(PeerSignature.HEADER, new PeerSignature(new byte[32]).sign(System.currentTimeMillis(),
                            "{\"op\":\"kill\",\"ids\":[\"mongodb-1\"],\"scope\":{\"seeAll\":true,\"killAll\":true}}"
                                    .getBytes()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"op\":\"kill\",\"ids\":[\"mongodb-1\"],\"scope\":{\"seeAll\":true,\"killAll\":true}}"))
                    .build();
            var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("invalid fleet signature");
        }
    }

    @Test
    void theClusterNeverSeesMoreThanTheBudgetWhileInstancesJoinAndLeaveUnderLoad() throws Exception {
        int budget = 24;
        String withBudget = ", connectionBudget: " + budget;
        try (SluiceHarness cluster = SluiceHarness.embedded()) {
            cluster.server(); // the cluster's own client connections are the fleet's backend + monitoring ones
            AtomicInteger peak = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(cluster.server().registry().currentCount("mongodb"), Math::max);
                    Thread.onSpinWait();
                }
            }, "budget-sampler");
            sampler.setDaemon(true);
            sampler.start();
            ExecutorService load = Executors.newFixedThreadPool(24);
            AtomicLong operations = new AtomicLong();
            AtomicInteger errors = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<SluiceHarness> members = new ArrayList<>();
            List<MongoClient> clients = new ArrayList<>();
            List<AtomicBoolean> flags = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    AtomicBoolean mine = new AtomicBoolean(true);
                    flags.add(mine);
                    SluiceHarness m = member(cluster, withBudget);
                    members.add(m);
                    MongoClient client = MongoClients.create(m.uri("appName=load" + i + "&maxPoolSize=8"));
                    clients.add(client);
                    MongoCollection<Document> coll = client.getDatabase("fleet").getCollection("c");
                    for (int t = 0; t < 8; t++) {
                        load.execute(() -> {
                            while (running.get() && mine.get()) {
                                try {
                                    coll.find(new Document("x", 1)).first();
                                    operations.incrementAndGet();
                                } catch (RuntimeException e) {
                                    if (running.get() && mine.get()) {
                                        errors.incrementAndGet();
                                    }
                                    return;
                                }
                            }
                        });
                    }
                    long before = operations.get();
                    await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > before + 200);
                }
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        members.get(0).server().fleet().instances().get("instances").size() == 3);
                // each settles at its share: (24 - headroom 4) / 3 - 2 monitors = 4 pooled per host
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (SluiceHarness m : members) {
                        assertThat(m.server().fleet().instances().get("poolSizePerHost").asInt()).isEqualTo(4);
                    }
                });
                flags.get(0).set(false);
                clients.remove(0).close();
                members.remove(0).close(); // leaves while the others are loaded: they grow into its share
                long before = operations.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() > before + 200);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (SluiceHarness m : members) {
                        assertThat(m.server().fleet().instances().get("poolSizePerHost").asInt()).isEqualTo(8);
                    }
                });
            } finally {
                running.set(false);
                load.shutdown();
                load.awaitTermination(30, TimeUnit.SECONDS);
                sampling.set(false);
                clients.forEach(MongoClient::close);
                members.forEach(SluiceHarness::close);
            }
            assertThat(errors.get()).isZero();
            assertThat(peak.get()).isPositive().isLessThanOrEqualTo(budget);
        }
    }
}

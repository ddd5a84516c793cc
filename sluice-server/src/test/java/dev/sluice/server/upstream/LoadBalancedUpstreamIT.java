package dev.sluice.server.upstream;

import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.LoadBalancedMongos;
import dev.sluice.server.testing.RoundRobinRelay;
import dev.sluice.server.testing.SluiceHarness;
import dev.sluice.server.topology.ServerType;
import dev.sluice.server.topology.TopologyType;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sluice's upstream is a load balancer ({@code loadBalanced=true}) in front of two mongos: a round-robin TCP relay
 * sends each backend connection to the next fake mongos, and each fake knows only the cursors and transactions that
 * started on it, so a getMore or commit over another backend connection fails. The real Java driver talks to Sluice.
 */
class LoadBalancedUpstreamIT {
    private static final int GET_MORES = 3;

    private FakeMongod mongosA;
    private FakeMongod mongosB;
    private LoadBalancedMongos a;
    private LoadBalancedMongos b;
    private RoundRobinRelay balancer;

    @BeforeEach
    void start() throws InterruptedException {
        mongosA = FakeMongod.start();
        mongosB = FakeMongod.start();
        a = mongosA.loadBalanced(GET_MORES);
        b = mongosB.loadBalanced(GET_MORES);
        balancer = RoundRobinRelay.start(List.of(mongosA.port(), mongosB.port()));
    }

    @AfterEach
    void stop() {
        balancer.close();
        mongosA.close();
        mongosB.close();
    }

    private String upstream(String options) {
        return "mongodb://127.0.0.1:" + balancer.port() + "/?loadBalanced=true" + options;
    }

    @Test
    void theLoadBalancerIsOneServerNeverMonitoredAndEveryHandshakeAsksForAServiceId() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream(""));
             MongoClient client = MongoClients.create(sluice.uri())) {
            client.getDatabase("test").getCollection("c").insertOne(new Document("x", 1));
            UpstreamCluster cluster = sluice.server().cluster();
            assertThat(cluster.description().type()).isEqualTo(TopologyType.LOAD_BALANCED);
            assertThat(cluster.description().serverDescriptions()).singleElement()
                    .satisfies(s -> assertThat(s.type()).isEqualTo(ServerType.LOAD_BALANCER));
            assertThat(cluster.monitorConnectionsOpened()).isZero();
            // every connection the mongos saw is a pooled one that said loadBalanced: true: no monitor, no RTT
            assertThat(a.otherHellos() + b.otherHellos()).isZero();
            assertThat(a.balancedHellos()).isEqualTo(mongosA.totalConnections());
            assertThat(b.balancedHellos()).isEqualTo(mongosB.totalConnections());
            assertThat(a.balancedHellos() + b.balancedHellos()).isPositive();
        }
    }

    @Test
    void cursorsKeepTheirBackendConnectionUntilExhaustedSoEveryGetMoreReachesTheirMongos() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream("&maxPoolSize=20"));
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
            List<MongoCursor<Document>> cursors = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                MongoCursor<Document> cursor = c.find().batchSize(1).iterator();
                cursor.next(); // the first batch
                cursors.add(cursor);
            }
            // each open cursor holds its own backend connection; the relay spread them over both mongos
            assertThat(a.openCursors() + b.openCursors()).isEqualTo(6);
            assertThat(a.openCursors()).isPositive();
            assertThat(b.openCursors()).isPositive();
            assertThat(inUse(sluice)).isEqualTo(6);
            for (MongoCursor<Document> cursor : cursors) {
                int rest = 0;
                while (cursor.hasNext()) {
                    cursor.next();
                    rest++;
                }
                assertThat(rest).isEqualTo(GET_MORES);
            }
            assertThat(a.refusedGetMores() + b.refusedGetMores()).isZero();
            assertThat(a.openCursors() + b.openCursors()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> inUse(sluice) == 0);
        }
    }

    @Test
    void concurrentTransactionsCommitOnTheMongosTheyStartedOn() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream("&maxPoolSize=20"));
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("t");
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < 5; round++) {
                        try (ClientSession session = client.startSession()) {
                            session.startTransaction();
                            for (int i = 0; i < 3; i++) {
                                c.insertOne(session, new Document("i", i));
                            }
                            session.commitTransaction();
                        }
                    }
                }));
            }
            CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get();
            await().atMost(Duration.ofSeconds(5)).until(() -> inUse(sluice) == 0);
        }
    }

    @Test
    void aClientThatLeavesWithOpenCursorsHasThemKilledOverTheirConnectionsWhichGoBack() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream("&maxPoolSize=20"))) {
            try (MongoClient client = MongoClients.create(sluice.uri())) {
                MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
                for (int i = 0; i < 4; i++) {
                    c.find().batchSize(1).iterator().next(); // left open
                }
                assertThat(a.openCursors() + b.openCursors()).isEqualTo(4);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.openCursors() + b.openCursors() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> inUse(sluice) == 0);
            assertThat(a.refusedGetMores() + b.refusedGetMores()).isZero();
        }
    }

    @Test
    void aNetworkErrorClearsOnlyTheConnectionsOfItsServiceAndInUseOnesFinishTheirWork() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream("&maxPoolSize=20"));
             MongoClient client = MongoClients.create(sluice.uri("retryReads=false"))) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
            List<MongoCursor<Document>> cursors = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                MongoCursor<Document> cursor = c.find().batchSize(1).iterator();
                cursor.next();
                cursors.add(cursor);
            }
            assertThat(a.openCursors()).isEqualTo(2);
            int openOnB = mongosB.currentConnections();
            mongosA.failNext("getMore"); // cuts the reply and the connection of one of mongos A's cursors
            int failed = 0;
            for (MongoCursor<Document> cursor : cursors) {
                try {
                    int rest = 0;
                    while (cursor.hasNext()) {
                        cursor.next();
                        rest++;
                    }
                    assertThat(rest).isEqualTo(GET_MORES);
                } catch (MongoException e) {
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(1); // the other cursor of service A finished on its (now stale) connection
            HostPoolStats pool = sluice.server().cluster().statistics().get(0);
            assertThat(sluice.server().cluster().pool(pool.host()).clearedServices()).isEqualTo(1);
            assertThat(pool.generation()).isZero(); // the pool was not cleared as a whole
            assertThat(pool.state()).isEqualTo("ready");
            assertThat(mongosB.currentConnections()).isEqualTo(openOnB); // service B's connections stay
            for (int i = 0; i < 4; i++) {
                client.getDatabase("admin").runCommand(new Document("ping", 1));
            }
            assertThat(a.refusedGetMores() + b.refusedGetMores()).isZero();
        }
    }

    @Test
    void whenPinnedCursorsHoldEveryConnectionAWaitQueueTimeoutSaysSo() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.upstream(upstream("&maxPoolSize=2&waitQueueTimeoutMS=300"));
             MongoClient client = MongoClients.create(sluice.uri("retryReads=false"))) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("c");
            List<MongoCursor<Document>> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                MongoCursor<Document> cursor = c.find().batchSize(1).iterator();
                cursor.next();
                open.add(cursor);
            }
            assertThatThrownBy(() -> c.find().batchSize(1).first())
                    .isInstanceOf(MongoException.class)
                    .hasMessageContaining("connections in use by cursors: 2")
                    .hasMessageContaining("connections in use by transactions: 0");
            open.get(0).close(); // killCursors over its connection, which goes back to the pool
            try (MongoCursor<Document> again = c.find().batchSize(1).iterator()) {
                assertThat(again.next()).containsKey("n");
            }
            open.get(1).close();
        }
    }

    @Test
    void anUpstreamThatAnswersWithoutAServiceIdIsRefusedNamingTheHost() throws Exception {
        try (FakeMongod plain = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream("mongodb://127.0.0.1:" + plain.port()
                     + "/?loadBalanced=true&serverSelectionTimeoutMS=2000");
             MongoClient client = MongoClients.create(sluice.uri())) {
            assertThatThrownBy(() -> client.getDatabase("test").getCollection("c").insertOne(new Document("x", 1)))
                    .isInstanceOf(MongoException.class)
                    .hasMessageContaining("without a serviceId")
                    .hasMessageContaining("127.0.0.1:" + plain.port())
                    .hasMessageContaining("load balancing mode");
        }
    }

    private static int inUse(SluiceHarness sluice) {
        return sluice.server().cluster().statistics().get(0).inUse();
    }
}

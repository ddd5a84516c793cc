package dev.sluice.server.faults;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import io.micrometer.core.instrument.Counter;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding 10: a killed client's work went on upstream, and a shutdown with an operation that could
 * not finish hung past shutdownTimeoutMS. Now a client killed mid-operation has its session killed
 * upstream (killSessions) while its request completes unseen and its connection goes back to the
 * pool; and close() returns within shutdownTimeoutMS plus the bounded forced part.
 */
class KilledClientWorkIT {

    @Test
    void killingAClientMidOperationKillsItsSessionUpstreamAndKeepsItsConnection() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient victim = MongoClients.create(sluice.uri("appName=victim&retryReads=false"));
             MongoClient bystander = MongoClients.create(sluice.uri("appName=bystander"))) {
            bystander.getDatabase("test").runCommand(new Document("ping", 1));
            CompletableFuture<Object> op = CompletableFuture.supplyAsync(() -> {
                try {
                    return victim.getDatabase("test").runCommand(new Document("count", "c").append("sleep", 1_500));
                } catch (MongoException e) {
                    return e;
                }
            });
            ConnectionEntry running = await().until(() -> runningOp(sluice, "victim"), e -> e != null);
            // pooled connections only (the topology's monitors open their own on their schedule), once the
            // victim's operation holds its backend connection (Running at Sluice may still be checking out)
            await().until(() -> sluice.server().cluster().statistics().get(0).inUse() == 1);
            long pooledBefore = sluice.server().cluster().statistics().get(0).created();
            running.kill("test");

            await().until(() -> backend.commands().contains("killSessions"));
            assertThat(op.get(10, TimeUnit.SECONDS)).isInstanceOf(MongoException.class);
            // the reply is read and dropped, and the connection returned: not closed
            await().until(() -> sluice.server().cluster().statistics().get(0).inUse() == 0);
            assertThat(errorCloses(sluice)).as("backend connections closed with an error").isZero();
            assertThat(sluice.server().cluster().statistics().get(0).clears()).isZero();
            assertThat(bystander.getDatabase("test").runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
            assertThat(sluice.server().cluster().statistics().get(0).created() - pooledBefore)
                    .as("new pooled backend connections").isLessThanOrEqualTo(2); // killSessions's, and at most one
                    // more on the bystander's event-loop lane while the victim's connection drains; never a reconnect storm
        }
    }

    @Test
    void closeReturnsWithinShutdownTimeoutWhileAnOperationNeverFinishes() throws Exception {
        ConfigFile file = ConfigFile.parse("shutdownTimeoutMS: 300", "test");
        try (FakeMongod backend = FakeMongod.start()) {
            SluiceHarness sluice = SluiceHarness.start(backend.uri(), file);
            SluiceServer server = sluice.server();
            try (MongoClient client = MongoClients.create(sluice.uri("appName=stuck&retryReads=false"))) {
                CompletableFuture.runAsync(() -> {
                    try {
                        client.getDatabase("test").runCommand(new Document("count", "c").append("stall", 1));
                    } catch (MongoException expected) {
                        // its connection is closed by the shutdown
                    }
                });
                await().until(() -> runningOp(sluice, "stuck"), e -> e != null);
                long started = System.nanoTime();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                closing.get(30, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(took).as("close() with an operation that never finishes")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
                        .isLessThan(Duration.ofMillis(300 + 2_000));
            }
        }
    }

    /**
     * The SIGTERM that hung: the embedded backend runs each command on its event loop, and its own
     * shutdown waits for those loops without a bound. A $lookup of 1,500 x 1,500 documents keeps it
     * busy for seconds; close() must not wait for it.
     */
    @Test
    void closeReturnsWithinShutdownTimeoutWhileTheEmbeddedBackendIsBusy() throws Exception {
        ConfigFile file = ConfigFile.parse("shutdownTimeoutMS: 300", "test");
        SluiceHarness sluice = SluiceHarness.start(null, file);
        try (MongoClient client = MongoClients.create(sluice.uri("appName=busy&retryReads=false"))) {
            var collection = client.getDatabase("test").getCollection("c");
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                docs.add(new Document("_id", i).append("k", i % 10));
            }
            collection.insertMany(docs);
            CompletableFuture.runAsync(() -> {
                try {
                    collection.aggregate(List.of(
                            Document.parse("{$lookup: {from: 'c', let: {k: '$k'}, as: 'x', "
                                    + "pipeline: [{$match: {$expr: {$eq: ['$k', '$$k']}}}]}}"),
                            Document.parse("{$project: {n: {$size: '$x'}}}"))).into(new ArrayList<>());
                } catch (MongoException expected) {
                    // its connection is closed by the shutdown
                }
            });
            await().until(() -> runningOp(sluice, "busy"), e -> e != null);
            long started = System.nanoTime();
            CompletableFuture.runAsync(sluice::close).get(60, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("close() while the embedded backend computes")
                    .isLessThan(Duration.ofMillis(300 + 2_000 + 1_000));
        }
    }

    private static ConnectionEntry runningOp(SluiceHarness sluice, String appName) {
        for (ConnectionEntry e : sluice.server().registry().snapshot()) {
            if (appName.equals(e.appName()) && e.currentOp() != null) {
                return e;
            }
        }
        return null;
    }

    private static double errorCloses(SluiceHarness sluice) {
        Counter c = sluice.server().meters().find("sluice.backend.connections.closed").tag("reason", "error").counter();
        return c == null ? 0 : c.count();
    }
}

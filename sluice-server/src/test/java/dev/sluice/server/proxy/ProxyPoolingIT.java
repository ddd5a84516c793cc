package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Multiplexing, limits and failures, against a fake mongod that counts its connections. */
class ProxyPoolingIT {

    @Test
    void twoHundredClientsShareFivePooledConnections() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?maxPoolSize=5")) {
            int clients = 200;
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<MongoClient> open = new ArrayList<>();
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    MongoClient client = MongoClients.create(sluice.uri("maxPoolSize=1&appName=c" + i));
                    open.add(client);
                    work.add(pool.submit(() -> {
                        for (int j = 0; j < 5; j++) {
                            client.getDatabase("test").getCollection("c").find().first();
                        }
                    }));
                }
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                open.forEach(MongoClient::close);
                pool.shutdownNow();
            }
            // beside the pool: Sluice's monitoring connection (polling: FakeMongod reports no topologyVersion)
            assertThat(backend.peakConnections()).isLessThanOrEqualTo(5 + sluice.server().cluster().monitorConnectionsOpen());
            assertThat(sluice.server().cluster().statistics().get(0).created()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void waitQueueTimeoutNamesTheHostTheLimitAndTheFigures() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?maxPoolSize=1&waitQueueTimeoutMS=200");
             MongoClient slow = MongoClients.create(sluice.uri());
             MongoClient blocked = MongoClients.create(sluice.uri())) {
            blocked.getDatabase("admin").runCommand(new Document("ping", 1)); // connected
            Thread holder = new Thread(() -> slow.getDatabase("test").runCommand(new Document("sleep", 3000)));
            holder.start();
            await().until(() -> sluice.server().cluster().statistics().get(0).inUse() == 1);
            assertThatThrownBy(() -> blocked.getDatabase("test").runCommand(new Document("count", "c")))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> {
                        MongoCommandException m = (MongoCommandException) e;
                        assertThat(m.getErrorCode()).isEqualTo(202);
                        assertThat(m.getErrorMessage()).contains(backend.uri().substring(10, backend.uri().length() - 1))
                                .contains("waitQueueTimeoutMS=200").contains("maxPoolSize=1").contains("inUse=1");
                    });
            holder.join(10_000);
        }
    }

    @Test
    void networkErrorMidReplyGivesAnErrorAndTheProxyKeepsServing() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoDatabase db = client.getDatabase("test");
            assertThatThrownBy(() -> db.runCommand(new Document("dropMidReply", 1)))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(9001));
            assertThat(db.runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
            assertThat(sluice.server().cluster().statistics().get(0).clears()).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * A read cut on the network is replayed once by Sluice; when the replay is cut too, the client gets the error. The
     * two attempts run in one operation object (a Forwarding is its own attempt): the second must start afresh, not
     * as "already ended" by the first (it would then drop the failure and leave the client waiting forever).
     */
    @Test
    void aReadCutTwiceOnTheNetworkIsReplayedOnceThenFailsToItsClient() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient client = MongoClients.create(sluice.uri("socketTimeoutMS=20000"))) {
            MongoDatabase db = client.getDatabase("test");
            assertThatThrownBy(() -> db.runCommand(new Document("count", "c").append("dropMidReply", 1)))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(9001));
            assertThat(backend.commands().stream().filter("count"::equals).count())
                    .as("the first attempt and Sluice's one replay").isEqualTo(2);
            assertThat(db.runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
        }
    }

    @Test
    void retryableWriteFailingOnTheNetworkIsLabelledSoTheDriverRetriesIt() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri());
             MongoClient client = MongoClients.create(sluice.uri("retryWrites=true"))) {
            backend.failNext("insert");
            client.getDatabase("test").getCollection("r").insertOne(new Document("_id", 1));
            assertThat(backend.commands().stream().filter("insert"::equals).count()).as("first attempt + retry").isEqualTo(2);
        }
    }

    @Test
    void replyLaterThanSocketTimeoutGivesNetworkTimeout() throws Exception {
        try (FakeMongod backend = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?socketTimeoutMS=300");
             MongoClient client = MongoClients.create(sluice.uri())) {
            assertThatThrownBy(() -> client.getDatabase("test").runCommand(new Document("sleep", 2000)))
                    .isInstanceOf(MongoCommandException.class)
                    .satisfies(e -> {
                        assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(89);
                        assertThat(((MongoCommandException) e).getErrorMessage()).contains("socketTimeoutMS");
                    });
            assertThat(client.getDatabase("test").runCommand(new Document("count", "c")).get("ok")).isEqualTo(1.0);
        }
    }

    @Test
    void upstreamCompressionNegotiatedFromTheUriCompressesForwardedCommands() throws Exception {
        try (FakeMongod backend = FakeMongod.start().compression(dev.sluice.server.wire.Compressor.ZLIB);
             SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?compressors=zlib");
             MongoClient client = MongoClients.create(sluice.uri())) {
            client.getDatabase("test").runCommand(new Document("count", "c"));
            assertThat(backend.compressedFrames()).isPositive();
        }
    }

    @Test
    void upstreamStoppedAndRestartedMidLoadRecoversWithoutRestartingSluice() throws Exception {
        FakeMongod backend = FakeMongod.start();
        int port = backend.port();
        try (SluiceHarness sluice = SluiceHarness.upstream(backend.uri() + "?connectTimeoutMS=500&socketTimeoutMS=2000");
             MongoClient client = MongoClients.create(sluice.uri("retryReads=false&retryWrites=false"))) {
            MongoDatabase db = client.getDatabase("test");
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            Thread load = new Thread(() -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    try {
                        db.runCommand(new Document("count", "c"));
                        ok.incrementAndGet();
                    } catch (com.mongodb.MongoInterruptedException e) {
                        return; // the test is over
                    } catch (MongoException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    } catch (Throwable t) {
                        unexpected.set(t);
                        return;
                    }
                }
            });
            load.start();
            await().until(() -> ok.get() > 50);
            backend.close();
            // the operation in flight waits for a server (serverSelectionTimeoutMS) instead of failing
            await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().cluster().waitingForServer() > 0);
            backend = FakeMongod.start(port);
            int before = ok.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > before + 50);
            load.interrupt();
            load.join(10_000);
            assertThat(unexpected.get()).isNull();
            assertThat(failed.get()).as("errors seen by a client that does not retry, first: %s", firstFailure.get())
                    .isZero();
        } finally {
            backend.close();
        }
    }
}

package dev.sluice.server.proxy;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sessions, retryable writes and transactions through Sluice: with the embedded backend (which
 * neither deduplicates retried writes nor has transactions) and with upstreams whose handshake
 * does or does not advertise sessions.
 */
class SessionsIT {
    /** The driver's write batches hold at most maxWriteBatchSize (100,000) documents: two batches. */
    private static final int DOCUMENTS = 120_000;

    @Test
    void insertManyWhoseConnectionIsKilledMidBatchIsRetriedWithoutDuplicatesOrDuplicateKeyErrors() throws Exception {
        AtomicInteger insertsStarted = new AtomicInteger();
        CommandListener inserts = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if ("insert".equals(event.getCommandName())) {
                    insertsStarted.incrementAndGet();
                }
            }
        };
        List<Document> documents = new ArrayList<>(DOCUMENTS);
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(new Document("_id", i).append("v", "x"));
        }
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient backend = MongoClients.create(sluice.server().embeddedUri());
             MongoClient victim = MongoClients.create(MongoClientSettings.builder()
                     .applyConnectionString(new ConnectionString(sluice.uri("appName=victim&retryWrites=true")))
                     .addCommandListener(inserts).build())) {
            int retried = 0;
            for (int round = 0; round < 4 && retried < 2; round++) {
                String name = "killed" + round;
                MongoCollection<Document> onBackend = backend.getDatabase("test").getCollection(name);
                MongoCollection<Document> collection = victim.getDatabase("test").getCollection(name);
                int startedBefore = insertsStarted.get();
                CompletableFuture<Void> insertMany = CompletableFuture.runAsync(() -> collection.insertMany(documents));
                // the first batch (4 MB) reached Sluice whole 200 ms ago and went upstream: its transfer to
                // the backend takes milliseconds, applying 100,000 documents about a second: kill it mid-apply
                ConnectionEntry running = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                        .until(() -> runningInsert(sluice, Duration.ofMillis(200)), java.util.Objects::nonNull);
                running.kill("test: kill mid-insertMany");
                Throwable failure = null;
                try {
                    insertMany.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = e.getCause();
                }
                if (failure != null) {
                    assertThat(isDuplicateKey(failure)).as("round %d: a retry answered with a duplicate key for its own "
                            + "first attempt: %s", round, failure).isFalse();
                }
                if (insertsStarted.get() - startedBefore > 2) {
                    retried++;
                }
                assertThat(onBackend.estimatedDocumentCount()).as("round %d: each document once", round).isEqualTo(DOCUMENTS);
                assertThat(onBackend.distinct("_id", Integer.class).into(new ArrayList<>())).hasSize(DOCUMENTS);
            }
            assertThat(retried).as("rounds where the driver retried the killed batch").isPositive();
        }
    }

    /** The victim's connection whose insert has run upstream for at least {@code age}, or null. */
    private static ConnectionEntry runningInsert(SluiceHarness sluice, Duration age) {
        for (ConnectionEntry e : sluice.server().registry().snapshot()) {
            String op = e.currentOp();
            if ("victim".equals(e.appName()) && op != null && op.startsWith("insert")
                    && e.currentOpRunningNanos(System.nanoTime()) >= age.toNanos()) {
                return e;
            }
        }
        return null;
    }

    private static boolean isDuplicateKey(Throwable t) {
        if (t instanceof MongoBulkWriteException b) {
            return b.getWriteErrors().stream().anyMatch(e -> e.getCode() == 11000);
        }
        if (t instanceof MongoWriteException w) {
            return w.getError().getCode() == 11000;
        }
        return t instanceof MongoException m && (m.getCode() == 11000 || String.valueOf(m.getMessage()).contains("E11000"));
    }

    @Test
    void aRetryWithTheSameLsidAndTxnNumberGetsTheFirstReplyAndIsNotAppliedAgain() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient backend = MongoClients.create(sluice.server().embeddedUri());
             RawWire wire = new RawWire(sluice.server().mongoAddress().getHostString(), sluice.server().mongoAddress().getPort())) {
            BsonDocument lsid = new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
            BsonDocument insert = new BsonDocument("insert", new BsonString("replayed"))
                    .append("documents", new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(1)))))
                    .append("lsid", lsid).append("txnNumber", new BsonInt64(1)).append("$db", new BsonString("test"));
            BsonDocument first = roundTrip(wire, 11, insert);
            BsonDocument retry = roundTrip(wire, 12, insert);
            assertThat(first.getInt32("n").getValue()).isEqualTo(1);
            assertThat(retry).isEqualTo(first);
            assertThat(backend.getDatabase("test").getCollection("replayed").countDocuments()).isEqualTo(1);
            BsonDocument next = roundTrip(wire, 13, insert.clone().append("txnNumber", new BsonInt64(2)));
            assertThat(next.containsKey("writeErrors")).as("a new txnNumber is applied: duplicate key").isTrue();
            BsonDocument old = roundTrip(wire, 14, insert);
            assertThat(old.getInt32("code").getValue()).isEqualTo(225);
        }
    }

    private static BsonDocument roundTrip(RawWire wire, int requestId, BsonDocument command) throws Exception {
        RawBsonDocument raw = new RawBsonDocument(command, new BsonDocumentCodec());
        byte[] bson = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().asNIO().get(bson);
        wire.send(RawWire.opMsg(requestId, 0, bson));
        byte[] reply = wire.readFrame();
        assertThat(RawWire.responseTo(reply)).isEqualTo(requestId);
        return new RawBsonDocument(reply, 21, reply.length - 21);
    }

    @Test
    void aTransactionIsRefusedBeforeAnythingIsAppliedWithTheEmbeddedBackend() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("txn");
            try (ClientSession session = client.startSession()) {
                session.startTransaction();
                assertThatThrownBy(() -> c.insertOne(session, new Document("_id", 1)))
                        .isInstanceOf(MongoCommandException.class)
                        .satisfies(e -> {
                            MongoCommandException m = (MongoCommandException) e;
                            assertThat(m.getErrorCode()).isEqualTo(20);
                            assertThat(m.getErrorCodeName()).isEqualTo("IllegalOperation");
                            assertThat(m.getErrorMessage()).contains("replica set or sharded cluster", "embedded");
                            assertThat(m.getErrorLabels()).isEmpty();
                        });
                assertThatThrownBy(session::commitTransaction)
                        .isInstanceOf(MongoCommandException.class)
                        .satisfies(e -> assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(251));
            }
            try (ClientSession session = client.startSession()) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> session.withTransaction(() -> c.insertOne(session, new Document("_id", 2))))
                        .isInstanceOf(MongoCommandException.class)
                        .satisfies(e -> assertThat(((MongoCommandException) e).getErrorCode()).isEqualTo(20));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not retried as transient")
                        .isLessThan(Duration.ofSeconds(10));
            }
            assertThat(c.countDocuments()).isZero();
            assertThat(sluice.server().router().transactions().size()).isZero();
            c.insertOne(new Document("_id", 3)); // writes outside transactions work
            assertThat(c.countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void aChangeStreamIsRefusedAsOnAStandaloneWithTheEmbeddedBackend() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCollection<Document> c = client.getDatabase("test").getCollection("stream");
            c.insertOne(new Document("_id", 1).append("g", 2));
            for (Runnable watch : List.<Runnable>of(() -> c.watch().cursor().close(),
                    () -> client.getDatabase("test").watch().cursor().close(),
                    () -> client.watch().cursor().close())) {
                assertThatThrownBy(watch::run)
                        .isInstanceOf(MongoCommandException.class)
                        .satisfies(e -> {
                            MongoCommandException m = (MongoCommandException) e;
                            assertThat(m.getErrorCode()).isEqualTo(40573);
                            assertThat(m.getErrorCodeName()).isEqualTo("Location40573");
                            assertThat(m.getErrorMessage()).contains("only supported on replica sets", "embedded");
                        });
            }
            // other pipelines, and a $changeStream that is not the first stage (the backend's own error), go on
            assertThat(c.aggregate(List.of(new Document("$match", new Document("g", 2)))).into(new ArrayList<>()))
                    .hasSize(1);
            assertThat(client.getDatabase("test").runCommand(new Document("ping", 1)).get("ok")).isEqualTo(1.0);
        }
    }

    @Test
    void sluiceAdvertisesSessionsOnlyWhenItsUpstreamOrItsOwnCatalogKeepsThem() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded()) {
            BsonDocument insert = sentInsert(sluice);
            assertThat(insert.containsKey("lsid") && insert.containsKey("txnNumber"))
                    .as("the catalog keeps retryable writes: the driver retries them").isTrue();
        }
        try (FakeMongod mongos = FakeMongod.start();
             SluiceHarness sluice = SluiceHarness.upstream(mongos.uri())) {
            BsonDocument insert = sentInsert(sluice);
            assertThat(insert.containsKey("lsid") && insert.containsKey("txnNumber")).isTrue();
        }
        try (FakeMongod standalone = FakeMongod.start().withoutSessions();
             SluiceHarness sluice = SluiceHarness.upstream(standalone.uri())) {
            BsonDocument insert = sentInsert(sluice);
            assertThat(insert.containsKey("lsid")).as("the upstream has no sessions: neither does Sluice").isFalse();
            assertThat(insert.containsKey("txnNumber")).isFalse();
        }
    }

    /** The insert command a driver sends to Sluice, after Sluice's hello told it what Sluice supports. */
    private static BsonDocument sentInsert(SluiceHarness sluice) {
        List<BsonDocument> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                if ("insert".equals(event.getCommandName())) {
                    sent.add(event.getCommand().clone());
                }
            }
        };
        try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(sluice.uri("retryWrites=true")))
                .addCommandListener(recorder).build())) {
            Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
            client.getDatabase("test").getCollection("advertised").insertOne(new Document("hello", hello.get("logicalSessionTimeoutMinutes")));
        }
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }
}

package dev.sluice.server.topology;

import com.mongodb.MongoCommandException;
import com.mongodb.ReadPreference;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.sluice.server.testing.SimulatedMember;
import dev.sluice.server.testing.SimulatedReplicaSet;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The real Java driver through Sluice to a {@link SimulatedReplicaSet} of three members (Sluice seeded with the
 * set's URI): what reaches each member is counted by the member itself, so every assertion is about where Sluice
 * sent the operation, not about what Sluice says it did.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicaSetIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private SimulatedReplicaSet rs;
    private SluiceHarness sluice;
    private final List<MongoClient> clients = new ArrayList<>();

    @BeforeEach
    void startSet() {
        rs = SimulatedReplicaSet.start(3);
    }

    @AfterEach
    void stopAll() {
        clients.forEach(MongoClient::close);
        if (sluice != null) {
            sluice.close();
        }
        rs.close();
    }

    /**
     * Sluice in front of the set, once it sees the primary and both secondaries. The latency window is wide
     * (localThresholdMS=5000): round trips on a loaded test machine differ by more than the default 15 ms, and the
     * tests check which members are suitable, not which is fastest.
     */
    private void startSluice() throws InterruptedException {
        sluice = SluiceHarness.upstream(rs.uri() + "&heartbeatFrequencyMS=500&localThresholdMS=5000");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(type(rs.member(0))).isEqualTo(ServerType.RS_PRIMARY);
            assertThat(type(rs.member(1))).isEqualTo(ServerType.RS_SECONDARY);
            assertThat(type(rs.member(2))).isEqualTo(ServerType.RS_SECONDARY);
        });
    }

    private ServerType type(SimulatedMember member) {
        ServerDescription d = sluice.server().cluster().description().server(address(member));
        return d == null ? null : d.type();
    }

    private static ServerAddress address(SimulatedMember member) {
        return new ServerAddress("127.0.0.1", member.port());
    }

    private MongoClient client(String options) {
        MongoClient c = MongoClients.create(sluice.uri(options));
        clients.add(c);
        return c;
    }

    private MongoCollection<Document> collection(MongoClient client) {
        return client.getDatabase("db").getCollection("c");
    }

    private void resetCounts() {
        rs.members().forEach(SimulatedMember::resetCommandCounts);
    }

    private long finds(SimulatedMember member) {
        return member.commandCount("find");
    }

    private void read(MongoCollection<Document> c, ReadPreference preference, int times) {
        MongoCollection<Document> r = c.withReadPreference(preference);
        for (int i = 0; i < times; i++) {
            assertThat(r.find(Filters.eq("_id", 1)).first()).as("read %d with %s", i, preference).isNotNull();
        }
    }

    @Test
    void readsLandWhereTheirReadPreferenceSays() throws Exception {
        startSluice();
        MongoCollection<Document> c = collection(client(""));
        c.insertOne(new Document("_id", 1));
        SimulatedMember primary = rs.member(0);
        SimulatedMember s1 = rs.member(1);
        SimulatedMember s2 = rs.member(2);

        resetCounts();
        read(c, ReadPreference.secondary(), 20);
        assertThat(finds(primary)).as("secondary reads on the primary").isZero();
        assertThat(finds(s1) + finds(s2)).isEqualTo(20);
        assertThat(finds(s1)).as("both secondaries are in the latency window").isPositive();
        assertThat(finds(s2)).isPositive();

        resetCounts();
        read(c, ReadPreference.secondaryPreferred(), 10);
        assertThat(finds(primary)).as("secondaryPreferred reads on the primary").isZero();
        assertThat(finds(s1) + finds(s2)).isEqualTo(10);

        resetCounts();
        read(c, ReadPreference.nearest(), 30);
        assertThat(finds(primary) + finds(s1) + finds(s2)).as("nearest: each read once, on some member")
                .isEqualTo(30);

        resetCounts();
        read(c, ReadPreference.primary(), 10);
        assertThat(finds(primary)).isEqualTo(10);
        assertThat(finds(s1) + finds(s2)).as("primary reads on a secondary").isZero();

        resetCounts();
        read(c, ReadPreference.primaryPreferred(), 10);
        assertThat(finds(primary)).as("primaryPreferred with a primary").isEqualTo(10);
    }

    @Test
    void taggedReadsLandOnTheTaggedMember() throws Exception {
        startSluice();
        rs.setTags(rs.member(2), Map.of("dc", "east"));
        rs.setTags(rs.member(1), Map.of("dc", "west"));
        await().atMost(WAIT).until(() -> {
            ServerDescription d = sluice.server().cluster().description().server(address(rs.member(2)));
            return d != null && "east".equals(d.tags().get("dc"));
        });
        MongoCollection<Document> c = collection(client(""));
        c.insertOne(new Document("_id", 1));

        resetCounts();
        read(c, ReadPreference.secondary(new TagSet(new Tag("dc", "east"))), 10);
        assertThat(finds(rs.member(2))).isEqualTo(10);
        assertThat(finds(rs.member(1)) + finds(rs.member(0))).isZero();

        resetCounts();
        read(c, ReadPreference.nearest(new TagSet(new Tag("dc", "west"))), 10);
        assertThat(finds(rs.member(1))).as("nearest with a tag set: only the member tagged west").isEqualTo(10);

        resetCounts();
        read(c, ReadPreference.secondaryPreferred(List.of(new TagSet(new Tag("dc", "north")),
                new TagSet(new Tag("dc", "east")))), 10);
        assertThat(finds(rs.member(2))).as("the first tag set matches nothing, the second the east member")
                .isEqualTo(10);

        // no secondary matches the tag set: secondaryPreferred falls back to the primary
        resetCounts();
        read(c, ReadPreference.secondaryPreferred(new TagSet(new Tag("dc", "north"))), 5);
        assertThat(finds(rs.member(0))).isEqualTo(5);
    }

    @Test
    void maxStalenessKeepsReadsOffALaggingSecondary() throws Exception {
        rs.setLag(rs.member(1), Duration.ofSeconds(300));
        startSluice();
        MongoCollection<Document> c = collection(client(""));
        c.insertOne(new Document("_id", 1));

        resetCounts();
        read(c, ReadPreference.secondary(120, TimeUnit.SECONDS), 20);
        assertThat(finds(rs.member(1))).as("the secondary 300 s behind, with maxStalenessSeconds=120").isZero();
        assertThat(finds(rs.member(2))).isEqualTo(20);

        resetCounts();
        read(c, ReadPreference.secondary(), 40);
        assertThat(finds(rs.member(1))).as("without maxStalenessSeconds the lagging secondary is chosen too")
                .isPositive();
        assertThat(finds(rs.member(1)) + finds(rs.member(2))).isEqualTo(40);
    }

    /**
     * Four writer threads (retryable inserts with their own _id and a retryable $inc on a per-thread counter) and two
     * reader threads run while the primary steps down and, once operations are waiting for a primary in Sluice,
     * another member is elected. No retryable operation sees an error, every acknowledged insert is there exactly
     * once and every counter equals its acknowledged increments (a write applied twice would show).
     */
    @Test
    void aStepDownUnderLoadCostsRetryableOperationsNoErrorAndWritesNothingTwice() throws Exception {
        startSluice();
        MongoClient client = client("retryWrites=true&retryReads=true");
        MongoCollection<Document> c = collection(client);
        MongoCollection<Document> counters = client.getDatabase("db").getCollection("counters");
        c.insertOne(new Document("_id", "seed"));
        int writers = 4;
        for (int t = 0; t < writers; t++) {
            counters.insertOne(new Document("_id", t).append("n", 0));
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Queue<String> inserted = new ConcurrentLinkedQueue<>();
        int[] increments = new int[writers];
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < writers; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = thread + "-" + i;
                        try {
                            c.insertOne(new Document("_id", id));
                            inserted.add(id);
                            counters.updateOne(Filters.eq("_id", thread), Updates.inc("n", 1));
                            increments[thread]++;
                            acknowledged.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.add(e);
                            return;
                        }
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                running.add(pool.submit(() -> {
                    while (!stop.get()) {
                        try {
                            assertThat(c.find(Filters.eq("_id", "seed")).first()).isNotNull();
                            reads.incrementAndGet();
                        } catch (RuntimeException | AssertionError e) {
                            errors.add(e);
                            return;
                        }
                    }
                }));
            }
            await().atMost(WAIT).until(() -> acknowledged.get() >= 50 && reads.get() >= 50);

            SimulatedMember oldPrimary = rs.member(0);
            SimulatedMember newPrimary = rs.member(1);
            rs.stepDown(oldPrimary);
            // operations now wait in Sluice for a primary (none in its topology): then the election comes
            await().atMost(WAIT).until(() -> sluice.server().cluster().waitingForServer() > 0);
            assertThat(sluice.server().cluster().description().type()).isEqualTo(TopologyType.REPLICA_SET_NO_PRIMARY);
            long insertsBeforeElection = newPrimary.commandCount("insert");
            rs.elect(newPrimary);

            int afterElection = acknowledged.get();
            await().atMost(WAIT).until(() -> acknowledged.get() >= afterElection + 50 || !errors.isEmpty());
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(errors).as("errors seen by retryable operations").isEmpty();
            assertThat(newPrimary.commandCount("insert")).as("service resumed on the new primary")
                    .isGreaterThan(insertsBeforeElection + 50);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(type(newPrimary)).isEqualTo(ServerType.RS_PRIMARY);
                assertThat(type(oldPrimary)).isEqualTo(ServerType.RS_SECONDARY);
            });
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }

        List<String> ids = new ArrayList<>(inserted);
        Set<Object> found = new HashSet<>();
        int documents = 0;
        for (Document d : c.find(Filters.ne("_id", "seed"))) {
            found.add(d.get("_id"));
            documents++;
        }
        assertThat(documents).as("documents stored").isEqualTo(ids.size());
        assertThat(found).as("every acknowledged insert, once").containsExactlyInAnyOrderElementsOf(ids);
        for (int t = 0; t < writers; t++) {
            assertThat(counters.find(Filters.eq("_id", t)).first().getInteger("n"))
                    .as("counter %d: acknowledged increments, none applied twice", t).isEqualTo(increments[t]);
        }
    }

    /**
     * A write without a txnNumber must not be replayed by Sluice: when the primary answers NotWritablePrimary (it
     * stepped down as the write arrived) the client gets that error, as from a mongos, and the write is applied
     * nowhere. The same write with a txnNumber is replayed on the new primary and succeeds.
     */
    @Test
    void aNonRetryableWriteHitByAStepDownGetsTheErrorAndIsNotReplayed() throws Exception {
        startSluice();
        MongoCollection<Document> plain = collection(client("retryWrites=false"));
        MongoCollection<Document> retrying = collection(client("retryWrites=true"));
        plain.insertOne(new Document("_id", 0));
        resetCounts();

        rs.failCommand(rs.member(0), "insert", 10107, 1); // NotWritablePrimary, as from a primary stepping down
        MongoCommandException error = catchThrowableOfType(() -> plain.insertOne(new Document("_id", 1)),
                MongoCommandException.class);
        assertThat(error).as("the non-retryable insert fails").isNotNull();
        assertThat(error.getErrorCode()).isEqualTo(10107);
        assertThat(error.getErrorCodeName()).isEqualTo("NotWritablePrimary");
        assertThat(error.getErrorLabels()).as("no RetryableWriteError on a write that has no txnNumber (mongod, mongos)")
                .doesNotContain("RetryableWriteError");
        assertThat(rs.members().stream().mapToLong(m -> m.commandCount("insert")).sum())
                .as("sent once, not replayed by Sluice").isEqualTo(1);
        assertThat(plain.find(Filters.eq("_id", 1)).first()).isNull();

        // the same failure on a retryable write: Sluice replays it once, the client sees no error
        await().atMost(WAIT).until(() -> type(rs.member(0)) == ServerType.RS_PRIMARY);
        resetCounts();
        rs.failCommand(rs.member(0), "insert", 10107, 1);
        retrying.insertOne(new Document("_id", 2));
        assertThat(rs.member(0).commandCount("insert")).as("failed once, then replayed").isEqualTo(2);
        assertThat(retrying.countDocuments(Filters.eq("_id", 2))).isEqualTo(1);
    }

    @Test
    void aRemovedMemberDroppedWithDropConnectionsHasNoPoolAndGetsNoOperation() throws Exception {
        startSluice();
        MongoClient client = client("");
        MongoCollection<Document> c = collection(client);
        c.insertOne(new Document("_id", 1));
        SimulatedMember removed = rs.member(2);
        SimulatedMember kept = rs.member(1);
        read(c, ReadPreference.secondary(), 20);
        assertThat(finds(removed)).as("the member to remove served reads before").isPositive();
        assertThat(poolHosts(client)).containsKey(removed.host());

        rs.removeMember(removed);
        Document reply = client.getDatabase("admin").runCommand(new Document("dropConnections", 1)
                .append("hostAndPort", List.of(removed.host())));
        assertThat(reply.get("ok", Number.class).intValue()).isEqualTo(1);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sluice.server().cluster().description().server(address(removed))).isNull();
            Document pool = (Document) poolHosts(client).get(removed.host());
            assertThat(pool == null || pool.get("inUse", Number.class).intValue()
                    + pool.get("available", Number.class).intValue() == 0)
                    .as("connPoolStats of %s: %s", removed.host(), pool).isTrue();
            assertThat(removed.currentConnections()).as("Sluice's connections to the removed member, monitor included")
                    .isZero();
        });

        resetCounts();
        removed.resetCommandCounts(); // no longer among rs.members()
        read(c, ReadPreference.secondary(), 20);
        read(c, ReadPreference.nearest(), 20);
        assertThat(removed.commandCount("find")).as("operations routed to the removed member; topology %s; counts %s",
                sluice.server().cluster().description(), removed.commandCounts()).isZero();
        assertThat(finds(kept)).isGreaterThanOrEqualTo(20);

        // dropConnections on a member still in the set: its pool is cleared (a new generation) and keeps serving
        Document before = (Document) poolHosts(client).get(kept.host());
        client.getDatabase("admin").runCommand(new Document("dropConnections", 1)
                .append("hostAndPort", List.of(kept.host())));
        Document after = (Document) poolHosts(client).get(kept.host());
        assertThat(after.get("generation", Number.class).intValue())
                .isEqualTo(before.get("generation", Number.class).intValue() + 1);
        assertThat(after.get("available", Number.class).intValue()).as("idle connections closed").isZero();
        read(c, ReadPreference.secondary(), 5);
    }

    private static Document poolHosts(MongoClient client) {
        return client.getDatabase("admin").runCommand(new Document("connPoolStats", 1)).get("hosts", Document.class);
    }
}

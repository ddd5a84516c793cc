package dev.sluice.server.testing;

import dev.sluice.server.wire.OpMsg;
import dev.sluice.server.wire.OpQuery;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.UuidRepresentation;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The simulated replica set on the wire: hello as mongod writes it, awaitable and exhaust hello, routing rules, retryable writes. */
class SimulatedReplicaSetTest {
    private SimulatedReplicaSet rs;

    @BeforeEach
    void start() {
        rs = SimulatedReplicaSet.start(3);
    }

    @AfterEach
    void close() {
        rs.close();
    }

    private static BsonDocument hello() {
        return new BsonDocument("hello", new BsonInt32(1)).append("$db", new BsonString("admin"));
    }

    private static BsonDocument cmd(String name, String collection, String db) {
        return new BsonDocument(name, new BsonString(collection)).append("$db", new BsonString(db));
    }

    @Test
    void primaryAndSecondariesAnswerHelloAsReplicaSetMembers() throws Exception {
        List<SimulatedMember> members = rs.members();
        List<BsonValue> hosts = members.stream().<BsonValue>map(m -> new BsonString(m.host())).toList();
        try (WireClient primary = WireClient.connect(members.get(0));
             WireClient secondary = WireClient.connect(members.get(1))) {
            BsonDocument p = primary.command(hello());
            assertThat(p.getBoolean("isWritablePrimary").getValue()).isTrue();
            assertThat(p.getBoolean("secondary").getValue()).isFalse();
            assertThat(p.getString("setName").getValue()).isEqualTo("rs0");
            assertThat(p.getInt32("setVersion").getValue()).isEqualTo(1);
            assertThat(p.getArray("hosts")).containsExactlyElementsOf(hosts);
            assertThat(p.getString("primary").getValue()).isEqualTo(members.get(0).host());
            assertThat(p.getString("me").getValue()).isEqualTo(members.get(0).host());
            assertThat(p.isObjectId("electionId")).isTrue();
            assertThat(p.getDocument("topologyVersion").isObjectId("processId")).isTrue();
            assertThat(p.getDocument("topologyVersion").isInt64("counter")).isTrue();
            assertThat(p.getDocument("lastWrite").isDateTime("lastWriteDate")).isTrue();
            assertThat(p.getDocument("lastWrite").getDocument("opTime").isTimestamp("ts")).isTrue();
            assertThat(p.getInt32("maxWireVersion").getValue()).isEqualTo(17);
            assertThat(p.getInt32("minWireVersion").getValue()).isZero();
            assertThat(p.getInt32("logicalSessionTimeoutMinutes").getValue()).isEqualTo(30);
            assertThat(p.getInt32("maxBsonObjectSize").getValue()).isEqualTo(16 * 1024 * 1024);
            assertThat(p.getInt32("maxMessageSizeBytes").getValue()).isEqualTo(48_000_000);
            assertThat(p.getInt32("maxWriteBatchSize").getValue()).isEqualTo(100_000);
            assertThat(p.isDateTime("localTime")).isTrue();
            assertThat(p.isInt32("connectionId")).isTrue();
            assertThat(p.getDouble("ok").getValue()).isEqualTo(1.0);
            assertThat(p.containsKey("$clusterTime")).isTrue();

            BsonDocument s = secondary.command(hello());
            assertThat(s.getBoolean("isWritablePrimary").getValue()).isFalse();
            assertThat(s.getBoolean("secondary").getValue()).isTrue();
            assertThat(s.getString("primary").getValue()).isEqualTo(members.get(0).host());
            assertThat(s.containsKey("electionId")).isFalse();
            assertThat(s.getDocument("topologyVersion").get("processId"))
                    .isNotEqualTo(p.getDocument("topologyVersion").get("processId"));
        }
    }

    @Test
    void legacyIsMasterOverOpQueryIsAnsweredWithOpReply() throws Exception {
        try (WireClient client = WireClient.connect(rs.member(1))) {
            BsonDocument reply = client.legacyCommand("admin", new BsonDocument("isMaster", new BsonInt32(1))
                    .append("helloOk", BsonBoolean.TRUE), OpQuery.SECONDARY_OK);
            assertThat(reply.getBoolean("ismaster").getValue()).isFalse();
            assertThat(reply.containsKey("isWritablePrimary")).isFalse();
            assertThat(reply.getBoolean("secondary").getValue()).isTrue();
            assertThat(reply.getBoolean("helloOk").getValue()).isTrue();
            BsonDocument find = client.legacyCommand("db", cmd("find", "c", "db"), OpQuery.SECONDARY_OK);
            assertThat(find.getInt32("code").getValue()).isEqualTo(352);
        }
    }

    @Test
    void awaitableHelloAnswersOnAStateChangeOrAfterMaxAwaitTime() throws Exception {
        SimulatedMember primary = rs.member(0);
        try (WireClient client = WireClient.connect(primary)) {
            BsonDocument tv = client.command(hello()).getDocument("topologyVersion");
            long started = System.nanoTime();
            BsonDocument timedOut = client.command(hello().append("topologyVersion", tv)
                    .append("maxAwaitTimeMS", new BsonInt64(300)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(timedOut.getDocument("topologyVersion")).isEqualTo(tv);

            int id = client.send(hello().append("topologyVersion", tv).append("maxAwaitTimeMS", new BsonInt64(30_000)), 0);
            rs.stepDown(primary);
            WireClient.Reply changed = client.receive();
            assertThat(changed.responseTo()).isEqualTo(id);
            assertThat(changed.body().getBoolean("isWritablePrimary").getValue()).isFalse();
            assertThat(changed.body().getDocument("topologyVersion").getInt64("counter").getValue())
                    .isEqualTo(tv.getInt64("counter").getValue() + 1);
            assertThat(changed.body().containsKey("primary")).isFalse();

            BsonDocument otherProcess = new BsonDocument("processId", new org.bson.BsonObjectId(new ObjectId()))
                    .append("counter", new BsonInt64(99));
            started = System.nanoTime();
            client.command(hello().append("topologyVersion", otherProcess).append("maxAwaitTimeMS", new BsonInt64(30_000)));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void exhaustHelloStreamsMoreToComeRepliesEachRespondingToThePreviousOne() throws Exception {
        try (WireClient client = WireClient.connect(rs.member(1))) {
            BsonDocument tv = client.command(hello()).getDocument("topologyVersion");
            int id = client.send(hello().append("topologyVersion", tv).append("maxAwaitTimeMS", new BsonInt64(100)),
                    OpMsg.EXHAUST_ALLOWED);
            WireClient.Reply first = client.receive();
            assertThat(first.responseTo()).isEqualTo(id);
            assertThat(first.moreToCome()).isTrue();
            WireClient.Reply second = client.receive();
            assertThat(second.responseTo()).isEqualTo(first.requestId());
            assertThat(second.moreToCome()).isTrue();
            rs.elect(rs.member(1));
            WireClient.Reply elected;
            do {
                elected = client.receive();
            } while (!elected.body().getBoolean("isWritablePrimary").getValue());
            assertThat(elected.body().getDocument("topologyVersion").getInt64("counter").getValue())
                    .isGreaterThan(tv.getInt64("counter").getValue());
        }
    }

    @Test
    void secondariesRejectWritesAndPrimaryOnlyReadsButServeSecondaryOkReads() throws Exception {
        try (WireClient primary = WireClient.connect(rs.member(0));
             WireClient secondary = WireClient.connect(rs.member(1))) {
            BsonDocument insert = cmd("insert", "c", "db").append("documents",
                    new BsonArray(List.of(new BsonDocument("_id", new BsonInt32(1)))));
            assertThat(primary.command(insert).getInt32("n").getValue()).isEqualTo(1);

            BsonDocument rejected = secondary.command(insert.clone().append("lsid", lsid(UUID.randomUUID()))
                    .append("txnNumber", new BsonInt64(1)));
            assertThat(rejected.getInt32("code").getValue()).isEqualTo(10107);
            assertThat(rejected.getString("codeName").getValue()).isEqualTo("NotWritablePrimary");
            assertThat(rejected.getString("errmsg").getValue()).isEqualTo("not primary");
            assertThat(rejected.getArray("errorLabels")).containsExactly(new BsonString("RetryableWriteError"));
            assertThat(rejected.containsKey("topologyVersion")).isTrue();
            assertThat(secondary.command(insert).containsKey("errorLabels")).isFalse();

            assertThat(secondary.command(cmd("find", "c", "db")).getInt32("code").getValue()).isEqualTo(13435);
            BsonDocument read = secondary.command(cmd("find", "c", "db").append("$readPreference",
                    new BsonDocument("mode", new BsonString("secondaryPreferred"))));
            assertThat(read.getDocument("cursor").getArray("firstBatch")).hasSize(1);
            assertThat(rs.member(1).commandCount("find")).isEqualTo(2);
            assertThat(rs.member(0).commandCount("find")).isZero();
        }
    }

    @Test
    void aRetryableWriteSeenBeforeIsAnsweredFromHistoryOnAnyMemberAcrossAnElection() throws Exception {
        BsonDocument session = lsid(UUID.randomUUID());
        BsonDocument insert = cmd("insert", "c", "db").append("documents",
                        new BsonArray(List.of(new BsonDocument("x", new BsonInt32(1)))))
                .append("lsid", session).append("txnNumber", new BsonInt64(5));
        try (WireClient first = WireClient.connect(rs.member(0))) {
            assertThat(first.command(insert).getInt32("n").getValue()).isEqualTo(1);
        }
        rs.stepDown(rs.member(0));
        rs.elect(rs.member(2));
        try (WireClient next = WireClient.connect(rs.member(2))) {
            assertThat(next.command(insert).getInt32("n").getValue()).isEqualTo(1);
            assertThat(rs.retriedWrites()).isEqualTo(1);
            BsonDocument count = next.command(cmd("count", "c", "db"));
            assertThat(count.getNumber("n").intValue()).isEqualTo(1);
            BsonDocument older = next.command(insert.clone().append("txnNumber", new BsonInt64(4)));
            assertThat(older.getInt32("code").getValue()).isEqualTo(225);
        }
    }

    /**
     * The restart scenario of the replica-set fault bench, one write at a time: the primary applies a retryable
     * $inc, the connection dies before the reply (mongod's onPrimaryTransactionalWrite failpoint), the primary is
     * killed and another member elected; the driver's retry (same lsid and txnNumber) on the new primary must get
     * the recorded reply, and the counter must read 1, as mongod's retryable-write protocol guarantees.
     */
    @Test
    void aRetryableWriteAppliedBeforeItsConnectionDiedIsNotAppliedAgainWhenRetriedOnTheNewPrimary() throws Exception {
        BsonDocument inc = cmd("update", "counters", "db").append("updates", new BsonArray(List.of(
                        new BsonDocument("q", new BsonDocument("_id", new BsonString("t0")))
                                .append("u", new BsonDocument("$inc", new BsonDocument("n", new BsonInt32(1))))
                                .append("upsert", BsonBoolean.TRUE))))
                .append("lsid", lsid(UUID.randomUUID())).append("txnNumber", new BsonInt64(7));
        try (WireClient first = WireClient.connect(rs.member(0))) {
            BsonDocument armed = first.command(new BsonDocument("configureFailPoint",
                    new BsonString("onPrimaryTransactionalWrite")).append("mode",
                    new BsonDocument("times", new BsonInt32(1))).append("$db", new BsonString("admin")));
            assertThat(armed.getNumber("ok").doubleValue()).isEqualTo(1.0);
            // a busy connection: its member already talks to the store
            assertThat(first.command(cmd("find", "counters", "db")).getNumber("ok").doubleValue()).isEqualTo(1.0);
            first.send(inc, 0);
            assertThat(first.isClosedByServer()).isTrue();
        }
        rs.stop(rs.member(0));
        rs.elect(rs.member(1));
        try (WireClient next = WireClient.connect(rs.member(1))) {
            BsonDocument retried = next.command(inc);
            assertThat(retried.getNumber("ok").doubleValue()).isEqualTo(1.0);
            assertThat(retried.getNumber("n").intValue()).isEqualTo(1);
            BsonDocument counter = next.command(cmd("find", "counters", "db")).getDocument("cursor")
                    .getArray("firstBatch").get(0).asDocument();
            assertThat(counter.getNumber("n").intValue()).as("the counter after one $inc and its retry").isEqualTo(1);
            assertThat(rs.retriedWrites()).as("retries answered from the history").isEqualTo(1);
        }
    }

    @Test
    void aLostWriteReplyFailPointNamesWhatItDoesNotSupport() throws Exception {
        try (WireClient client = WireClient.connect(rs.member(0))) {
            BsonDocument reply = client.command(new BsonDocument("configureFailPoint",
                    new BsonString("onPrimaryTransactionalWrite")).append("mode", new BsonString("alwaysOn"))
                    .append("data", new BsonDocument("closeConnection", BsonBoolean.FALSE))
                    .append("$db", new BsonString("admin")));
            assertThat(reply.getInt32("code").getValue()).isEqualTo(2);
            assertThat(reply.getString("errmsg").getValue()).contains("data.closeConnection: false");
        }
    }

    @Test
    void aRemovedMemberAnswersWithoutAConfigAndLeavesTheHostsList() throws Exception {
        SimulatedMember removed = rs.member(2);
        rs.removeMember(removed);
        assertThat(rs.setVersion()).isEqualTo(2);
        try (WireClient client = WireClient.connect(removed); WireClient primary = WireClient.connect(rs.member(0))) {
            BsonDocument reply = client.command(hello());
            assertThat(reply.getBoolean("isWritablePrimary").getValue()).isFalse();
            assertThat(reply.getBoolean("secondary").getValue()).isFalse();
            assertThat(reply.getBoolean("isreplicaset").getValue()).isTrue();
            assertThat(reply.getString("info").getValue()).isEqualTo("Does not have a valid replica set config");
            assertThat(reply.containsKey("setName")).isFalse();
            assertThat(reply.containsKey("hosts")).isFalse();
            BsonDocument p = primary.command(hello());
            assertThat(p.getArray("hosts")).doesNotContain(new BsonString(removed.host()));
            assertThat(p.getInt32("setVersion").getValue()).isEqualTo(2);
        }
        assertThat(rs.uri()).doesNotContain(removed.host());
    }

    @Test
    void stopResetsConnectionsAndStartListensAgainAsANewProcess() throws Exception {
        SimulatedMember member = rs.member(1);
        BsonDocument before;
        try (WireClient client = WireClient.connect(member)) {
            before = client.command(hello());
            rs.stop(member);
            assertThat(member.isRunning()).isFalse();
            assertThat(client.isClosedByServer()).isTrue();
        }
        rs.start(member);
        try (WireClient client = WireClient.connect(member)) {
            BsonDocument after = client.command(hello());
            assertThat(after.getDocument("topologyVersion").get("processId"))
                    .isNotEqualTo(before.getDocument("topologyVersion").get("processId"));
            assertThat(after.getDocument("topologyVersion").getInt64("counter").getValue()).isZero();
        }
    }

    @Test
    void failCommandFailsTimesThenStopsAndCanCloseTheConnection() throws Exception {
        SimulatedMember primary = rs.member(0);
        rs.failCommand(primary, "ping", 91, 2);
        try (WireClient client = WireClient.connect(primary)) {
            BsonDocument ping = new BsonDocument("ping", new BsonInt32(1)).append("$db", new BsonString("admin"));
            assertThat(client.command(ping).getInt32("code").getValue()).isEqualTo(91);
            assertThat(client.command(ping).getString("codeName").getValue()).isEqualTo("ShutdownInProgress");
            assertThat(client.command(ping).getDouble("ok").getValue()).isEqualTo(1.0);

            BsonDocument configure = new BsonDocument("configureFailPoint", new BsonString("failCommand"))
                    .append("mode", new BsonDocument("times", new BsonInt32(1)))
                    .append("data", new BsonDocument("failCommands", new BsonArray(List.of(new BsonString("ping"))))
                            .append("closeConnection", BsonBoolean.TRUE))
                    .append("$db", new BsonString("admin"));
            assertThat(client.command(configure).getDouble("ok").getValue()).isEqualTo(1.0);
            client.send(ping, 0);
            assertThat(client.isClosedByServer()).isTrue();
        }
        assertThat(primary.commandCount("ping")).isEqualTo(4);
    }

    @Test
    void delayAndLagShowInRepliesAndLastWrite() throws Exception {
        SimulatedMember secondary = rs.member(1);
        rs.setLag(secondary, Duration.ofSeconds(120));
        rs.setDelay(secondary, Duration.ofMillis(200));
        rs.setTags(secondary, java.util.Map.of("dc", "east"));
        rs.setMaxWireVersion(secondary, 21);
        try (WireClient client = WireClient.connect(secondary); WireClient primary = WireClient.connect(rs.member(0))) {
            long started = System.nanoTime();
            BsonDocument s = client.command(hello());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
            BsonDocument p = primary.command(hello());
            long lag = p.getDocument("lastWrite").getDateTime("lastWriteDate").getValue()
                    - s.getDocument("lastWrite").getDateTime("lastWriteDate").getValue();
            assertThat(lag).isBetween(119_000L, 125_000L);
            assertThat(s.getDocument("tags")).isEqualTo(new BsonDocument("dc", new BsonString("east")));
            assertThat(s.getInt32("maxWireVersion").getValue()).isEqualTo(21);
            assertThat(s.getInt32("setVersion").getValue()).isEqualTo(2);
        }
    }

    @Test
    void closeStopsEveryThreadItStarted() {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        SimulatedReplicaSet other = SimulatedReplicaSet.start(2);
        try (WireClient client = WireClient.connect(other.member(0))) {
            client.command(cmd("count", "c", "db"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        other.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && !before.contains(t)
                        && (t.getName().startsWith("sluice-simulated-rs") || t.getName().startsWith("mongo-server")))
                .isEmpty());
    }

    @Test
    void passiveHiddenAndArbiterMembersAnswerAsConfigured() throws Exception {
        SimulatedMember passive = rs.addMember(MemberRole.PASSIVE);
        SimulatedMember hidden = rs.addMember(MemberRole.HIDDEN);
        SimulatedMember arbiter = rs.addMember(MemberRole.ARBITER);
        assertThat(rs.setVersion()).isEqualTo(4);
        try (WireClient p = WireClient.connect(rs.member(0)); WireClient h = WireClient.connect(hidden);
             WireClient a = WireClient.connect(arbiter)) {
            BsonDocument primary = p.command(hello());
            assertThat(primary.getArray("hosts")).hasSize(3);
            assertThat(primary.getArray("passives")).containsExactly(new BsonString(passive.host()));
            assertThat(primary.getArray("arbiters")).containsExactly(new BsonString(arbiter.host()));
            BsonDocument hiddenHello = h.command(hello());
            assertThat(hiddenHello.getBoolean("hidden").getValue()).isTrue();
            assertThat(hiddenHello.getBoolean("passive").getValue()).isTrue();
            assertThat(hiddenHello.getBoolean("secondary").getValue()).isTrue();
            BsonDocument arbiterHello = a.command(hello());
            assertThat(arbiterHello.getBoolean("arbiterOnly").getValue()).isTrue();
            assertThat(arbiterHello.getBoolean("secondary").getValue()).isFalse();
            assertThat(arbiterHello.containsKey("lastWrite")).isFalse();
            assertThat(a.command(cmd("find", "c", "db").append("$readPreference",
                    new BsonDocument("mode", new BsonString("secondary")))).getInt32("code").getValue()).isEqualTo(13436);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rs.elect(passive))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PASSIVE");
    }

    private static BsonDocument lsid(UUID id) {
        return new BsonDocument("id", new BsonBinary(id, UuidRepresentation.STANDARD));
    }
}

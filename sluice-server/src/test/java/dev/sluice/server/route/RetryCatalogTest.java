package dev.sluice.server.route;

import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryCatalogTest {
    private static final long MINUTE = 60_000;
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RetryCatalog catalog = new RetryCatalog(now::get, 30 * MINUTE, 3, 1_000);

    private static BsonDocument lsid() {
        return new BsonDocument("id", new BsonBinary(UUID.randomUUID()));
    }

    private static RawBsonDocument reply(int n) {
        return new RawBsonDocument(new BsonDocument("n", new BsonInt32(n)).append("ok", new BsonDouble(1)),
                new BsonDocumentCodec());
    }

    private static RawBsonDocument error() {
        return new RawBsonDocument(new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString("no")),
                new BsonDocumentCodec());
    }

    private RetryCatalog.Attempt execute(BsonDocument lsid, long txnNumber) {
        RetryCatalog.Decision d = catalog.admit(lsid, txnNumber);
        assertThat(d).isInstanceOf(RetryCatalog.Execute.class);
        return ((RetryCatalog.Execute) d).attempt();
    }

    @Test
    void aRetryWithTheSameLsidAndTxnNumberGetsTheFirstReplyAndIsNotExecuted() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 1);
        first.sent();
        first.replied(reply(7));
        RetryCatalog.Decision retry = catalog.admit(lsid.clone(), 1);
        assertThat(retry).isInstanceOf(RetryCatalog.Replay.class);
        assertThat(((RetryCatalog.Replay) retry).reply().getInt32("n").getValue()).isEqualTo(7);
    }

    @Test
    void aRawLsidFromACommandFindsTheSameSession() {
        BsonDocument lsid = lsid();
        execute(lsid, 1).replied(reply(1));
        RawBsonDocument command = new RawBsonDocument(new BsonDocument("insert", new BsonString("c")).append("lsid", lsid),
                new BsonDocumentCodec());
        assertThat(catalog.admit(command.getDocument("lsid"), 1)).isInstanceOf(RetryCatalog.Replay.class);
    }

    @Test
    void aNewTxnNumberIsExecutedAndAnOlderOneRefused() {
        BsonDocument lsid = lsid();
        execute(lsid, 1).replied(reply(1));
        execute(lsid, 2).replied(reply(2));
        RetryCatalog.Decision old = catalog.admit(lsid, 1);
        assertThat(old).isInstanceOf(RetryCatalog.Refuse.class);
        assertThat(((RetryCatalog.Refuse) old).code()).isEqualTo(225);
        assertThat(catalog.size()).isEqualTo(1);
    }

    @Test
    void aRetryWhileTheFirstAttemptRunsWaitsForItsReply() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 4);
        first.sent();
        RetryCatalog.Decision retry = catalog.admit(lsid, 4);
        assertThat(retry).isInstanceOf(RetryCatalog.Await.class);
        List<RetryCatalog.Decision> told = new ArrayList<>();
        ((RetryCatalog.Await) retry).attempt().await(told::add);
        assertThat(told).isEmpty();
        first.replied(reply(3));
        assertThat(told).singleElement().isInstanceOf(RetryCatalog.Replay.class);
    }

    @Test
    void aFirstAttemptNeverSentLetsItsWaiterExecuteItself() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 1);
        List<RetryCatalog.Decision> told = new ArrayList<>();
        ((RetryCatalog.Await) catalog.admit(lsid, 1)).attempt().await(told::add);
        first.failed(); // e.g. no connection to the upstream: nothing was applied
        assertThat(told).singleElement().isInstanceOf(RetryCatalog.Again.class);
        assertThat(catalog.admit(lsid, 1)).isInstanceOf(RetryCatalog.Execute.class);
    }

    @Test
    void anErrorReplyIsNotKeptSoARetryExecutesAgain() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 1);
        first.sent();
        first.replied(error());
        assertThat(catalog.admit(lsid, 1)).isInstanceOf(RetryCatalog.Execute.class);
    }

    @Test
    void aFirstAttemptLostAfterItWasSentIsNeverAppliedAgain() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 1);
        first.sent();
        first.failed();
        RetryCatalog.Decision retry = catalog.admit(lsid, 1);
        assertThat(retry).isInstanceOf(RetryCatalog.Refuse.class);
        assertThat(((RetryCatalog.Refuse) retry).code()).isEqualTo(217);
    }

    @Test
    void aSessionUnusedForTheTimeoutIsForgotten() {
        BsonDocument lsid = lsid();
        execute(lsid, 1).replied(reply(1));
        now.addAndGet(29 * MINUTE);
        assertThat(catalog.admit(lsid, 1)).as("used again: kept 30 more minutes").isInstanceOf(RetryCatalog.Replay.class);
        now.addAndGet(29 * MINUTE);
        assertThat(catalog.size()).isEqualTo(1);
        now.addAndGet(MINUTE);
        catalog.admit(lsid(), 1); // any admission expires what is due
        assertThat(catalog.size()).isEqualTo(1);
        assertThat(catalog.replyBytes()).isZero();
        assertThat(catalog.admit(lsid, 1)).isInstanceOf(RetryCatalog.Execute.class);
    }

    @Test
    void aRunningAttemptDoesNotExpire() {
        BsonDocument lsid = lsid();
        execute(lsid, 1).sent();
        now.addAndGet(31 * MINUTE);
        catalog.admit(lsid(), 1);
        assertThat(catalog.admit(lsid, 1)).isInstanceOf(RetryCatalog.Await.class);
    }

    @Test
    void sessionsPastTheCapAreRefusedNamingTheLimit() {
        for (int i = 0; i < 3; i++) {
            execute(lsid(), 1).replied(reply(1));
        }
        RetryCatalog.Decision d = catalog.admit(lsid(), 1);
        assertThat(d).isInstanceOf(RetryCatalog.Refuse.class);
        assertThat(((RetryCatalog.Refuse) d).code()).isEqualTo(261);
        assertThat(((RetryCatalog.Refuse) d).message()).contains("RetryCatalog.MAX_SESSIONS=3");
    }

    @Test
    void endedSessionsFreeTheirPlace() {
        BsonDocument lsid = lsid();
        execute(lsid, 1).replied(reply(1));
        catalog.end(List.of(lsid));
        assertThat(catalog.size()).isZero();
        assertThat(catalog.replyBytes()).isZero();
    }

    @Test
    void repliesPastTheByteCapAreNotKeptAndTheirRetryIsRefusedNamingTheLimit() {
        BsonDocument big = lsid();
        RawBsonDocument large = new RawBsonDocument(new BsonDocument("value", new BsonString("x".repeat(2_000)))
                .append("ok", new BsonDouble(1)), new BsonDocumentCodec());
        RetryCatalog.Attempt first = execute(big, 1);
        first.sent();
        first.replied(large);
        assertThat(catalog.replyBytes()).isZero();
        RetryCatalog.Decision retry = catalog.admit(big, 1);
        assertThat(retry).isInstanceOf(RetryCatalog.Refuse.class);
        assertThat(((RetryCatalog.Refuse) retry).code()).isEqualTo(217);
        assertThat(((RetryCatalog.Refuse) retry).message()).contains("RetryCatalog.MAX_REPLY_BYTES=1000");
        BsonDocument small = lsid();
        execute(small, 1).replied(reply(1));
        assertThat(catalog.replyBytes()).isPositive();
    }

    @Test
    void aWriteReplacedByANewerTxnNumberStillAnswersItsOwnWaiters() {
        BsonDocument lsid = lsid();
        RetryCatalog.Attempt first = execute(lsid, 1);
        first.sent();
        List<RetryCatalog.Decision> told = new ArrayList<>();
        ((RetryCatalog.Await) catalog.admit(lsid, 1)).attempt().await(told::add);
        execute(lsid, 2);
        first.replied(reply(5));
        assertThat(told).singleElement().isInstanceOf(RetryCatalog.Replay.class);
        assertThat(catalog.replyBytes()).as("not the session's entry any more: not kept").isZero();
    }
}

package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HelloResponderTest {
    private final HelloResponder responder = new HelloResponder(
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 48_000_000);

    @Test
    void helloIsAnsweredAsARouterWithTheUpstreamsWireVersion() {
        BsonDocument reply = responder.reply(new BsonDocument("hello", new BsonInt32(1)), "hello", 7, 21, null);
        assertThat(reply.getBoolean("isWritablePrimary").getValue()).isTrue();
        assertThat(reply.containsKey("ismaster")).isFalse();
        assertThat(reply.getString("msg").getValue()).isEqualTo("isdbgrid");
        assertThat(reply.getInt32("maxWireVersion").getValue()).isEqualTo(21);
        assertThat(reply.getInt64("connectionId").getValue()).isEqualTo(7);
        assertThat(reply.getInt32("maxMessageSizeBytes").getValue()).isEqualTo(48_000_000);
        assertThat(reply.getDateTime("localTime").getValue()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(reply.containsKey("compression")).isFalse();
        assertThat(reply.getDocument("topologyVersion").containsKey("processId")).isTrue();
    }

    @Test
    void legacyIsMasterGetsIsmasterAndHelloOkWhenAsked() {
        BsonDocument command = new BsonDocument("isMaster", new BsonInt32(1)).append("helloOk", org.bson.BsonBoolean.TRUE);
        BsonDocument reply = responder.reply(command, "isMaster", 1, 17, List.of(Compressor.ZSTD));
        assertThat(reply.getBoolean("ismaster").getValue()).isTrue();
        assertThat(reply.getBoolean("helloOk").getValue()).isTrue();
        assertThat(reply.getArray("compression").get(0).asString().getValue()).isEqualTo("zstd");
    }

    @Test
    void onlyTheCurrentTopologyVersionMakesAHelloWait() {
        BsonDocument current = responder.topologyVersion();
        assertThat(responder.isCurrent(current)).isTrue();
        assertThat(responder.isCurrent(new BsonDocument("processId", new BsonObjectId(new ObjectId()))
                .append("counter", new BsonInt64(0)))).isFalse();
        assertThat(responder.isCurrent(null)).isFalse();
        responder.topologyChanged();
        assertThat(responder.isCurrent(current)).isFalse();
    }

    @Test
    void sessionsAreAdvertisedOnlyWhenTheSupplierHasThem() {
        int[] minutes = {0};
        HelloResponder r = new HelloResponder(Clock.systemUTC(), 48_000_000, () -> minutes[0]);
        BsonDocument hello = new BsonDocument("hello", new BsonInt32(1));
        assertThat(r.reply(hello, "hello", 1, 17, null).containsKey("logicalSessionTimeoutMinutes")).isFalse();
        minutes[0] = 30;
        assertThat(r.reply(hello, "hello", 1, 17, null).getInt32("logicalSessionTimeoutMinutes").getValue()).isEqualTo(30);
    }

    @Test
    void theCounterMovesWhenTheUpstreamLosesOrRegainsEveryUsableServerOrChangesWhatHelloAdvertises() {
        boolean[] usable = {true};
        int[] wire = {21};
        int[] minutes = {30};
        HelloResponder r = new HelloResponder(Clock.systemUTC(), 48_000_000, () -> minutes[0], () -> wire[0],
                () -> usable[0]);
        BsonDocument before = r.topologyVersion();

        assertThat(r.refresh()).as("nothing changed").isFalse();
        assertThat(r.topologyVersion()).isEqualTo(before);

        usable[0] = false;
        assertThat(r.refresh()).isTrue();
        BsonDocument noServer = r.topologyVersion();
        assertThat(noServer.getInt64("counter").getValue()).isGreaterThan(before.getInt64("counter").getValue());
        assertThat(noServer.getObjectId("processId")).isEqualTo(before.getObjectId("processId"));
        assertThat(r.isCurrent(before)).isFalse();
        assertThat(r.refresh()).as("still none: no new change").isFalse();

        usable[0] = true;
        assertThat(r.refresh()).isTrue();
        wire[0] = 25;
        assertThat(r.refresh()).isTrue();
        minutes[0] = 0;
        assertThat(r.refresh()).isTrue();
        assertThat(r.topologyVersion().getInt64("counter").getValue())
                .isEqualTo(noServer.getInt64("counter").getValue() + 3);
        // the reply stays that of a router whatever the upstream's state
        usable[0] = false;
        r.refresh();
        BsonDocument reply = r.reply(new BsonDocument("hello", new BsonInt32(1)), "hello", 1, 25, null);
        assertThat(reply.getBoolean("isWritablePrimary").getValue()).isTrue();
        assertThat(reply.getString("msg").getValue()).isEqualTo("isdbgrid");
    }

    @Test
    void aChangeWakesTheAwaitableHellosWaitingOnTheOldCounterOnce() {
        boolean[] usable = {true};
        HelloResponder r = new HelloResponder(Clock.systemUTC(), 48_000_000, () -> 30, () -> 21, () -> usable[0]);
        int[] woken = new int[3];
        Runnable first = () -> woken[0]++;
        Runnable second = () -> woken[1]++;
        Runnable cancelled = () -> woken[2]++;
        BsonDocument current = r.topologyVersion();
        r.awaitChange(current, first);
        r.awaitChange(current, second);
        r.awaitChange(current, cancelled);
        r.cancelWait(cancelled);
        assertThat(r.waiting()).isEqualTo(2);
        assertThat(woken).containsExactly(0, 0, 0);

        usable[0] = false;
        r.refresh();

        assertThat(woken).containsExactly(1, 1, 0);
        assertThat(r.waiting()).isZero();
        r.topologyChanged();
        assertThat(woken).as("each waiter runs once").containsExactly(1, 1, 0);

        // a hello that arrives with an outdated counter is answered at once
        r.awaitChange(current, first);
        assertThat(woken[0]).isEqualTo(2);
        assertThat(r.waiting()).isZero();
    }
}

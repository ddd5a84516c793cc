package dev.sluice.server.client;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** mongos's quiesce mode at the end of a drain: every hello gets ShutdownInProgress, waiting ones at once. */
class HelloQuiesceTest {
    private final HelloResponder responder = new HelloResponder(Clock.systemUTC(), 48_000_000);

    @Test
    void afterQuiesceEveryHelloIsShutdownInProgressWithANewTopologyVersion() {
        BsonDocument before = responder.topologyVersion();
        responder.quiesce();
        for (String name : new String[] {"hello", "isMaster", "ismaster"}) {
            BsonDocument reply = responder.reply(new BsonDocument(name, new BsonInt32(1)), name, 3, 17, null);
            assertThat(reply.getNumber("ok").intValue()).isZero();
            assertThat(reply.getInt32("code").getValue()).isEqualTo(HelloResponder.SHUTDOWN_IN_PROGRESS).isEqualTo(91);
            assertThat(reply.getString("codeName").getValue()).isEqualTo("ShutdownInProgress");
            assertThat(reply.getDocument("topologyVersion")).isNotEqualTo(before);
            assertThat(reply.containsKey("isWritablePrimary")).isFalse();
        }
        assertThat(responder.quiescing()).isTrue();
    }

    @Test
    void quiesceWakesTheAwaitableHellosWaitingOnTheCurrentVersion() {
        AtomicInteger woken = new AtomicInteger();
        responder.awaitChange(responder.topologyVersion(), woken::incrementAndGet);
        responder.awaitChange(responder.topologyVersion(), woken::incrementAndGet);
        assertThat(responder.waiting()).isEqualTo(2);
        responder.quiesce();
        assertThat(woken).hasValue(2);
        assertThat(responder.waiting()).isZero();
    }

    @Test
    void beforeQuiesceHelloIsAnsweredNormally() {
        BsonDocument reply = responder.reply(new BsonDocument("hello", new BsonInt32(1)), "hello", 3, 17, null);
        assertThat(reply.getNumber("ok").intValue()).isEqualTo(1);
        assertThat(responder.quiescing()).isFalse();
    }
}

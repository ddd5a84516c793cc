package dev.sluice.server.fuzz;

import dev.sluice.server.upstream.UpstreamCluster;
import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle client costs no timer: the loginTimeoutMS check scheduled at accept is cancelled by the handshake, so
 * a connection that said hello has nothing scheduled; one that never does is still closed at loginTimeoutMS.
 */
class IdleSessionTimersTest {
    private static final int MAX_MESSAGE_SIZE = 48_000_000;
    private static PausedUpstream upstream;
    private static UpstreamCluster cluster;

    @BeforeAll
    static void pausedUpstream() {
        upstream = new PausedUpstream(MAX_MESSAGE_SIZE);
        cluster = upstream.cluster();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void theHandshakeCancelsTheLoginTimerSoAnIdleClientHasNothingScheduled() {
        EmbeddedChannel channel = new SessionFixture(cluster, MAX_MESSAGE_SIZE).channel();
        assertThat(channel.runScheduledPendingTasks()).as("the login timer, pending before hello").isPositive();

        channel.writeInbound(OpMsg.encode(UnpooledByteBufAllocator.DEFAULT, 1, 0, 0,
                new BsonDocument("hello", new BsonInt32(1)).append("$db", new BsonString("admin"))));
        ByteBuf reply = channel.readOutbound();
        assertThat(reply).as("the hello reply").isNotNull();
        reply.release();

        assertThat(channel.runScheduledPendingTasks()).as("nothing scheduled once idle").isEqualTo(-1);
        channel.advanceTimeBy(1, TimeUnit.HOURS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientThatNeverSaysHelloIsStillClosedAtLoginTimeoutMS() {
        SessionFixture fixture = new SessionFixture(cluster, MAX_MESSAGE_SIZE);
        EmbeddedChannel channel = fixture.channel();
        // the channel's clock follows real time until frozen: freeze it, and keep a margin for the real time that
        // passed between the accept (when the timer was scheduled) and now
        channel.freezeTime();
        channel.advanceTimeBy(dev.sluice.server.config.LimitSettings.DEFAULT_LOGIN_TIMEOUT_MS - 1_000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1_000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(fixture.registry().limitCloses("mongodb", "loginTimeoutMS")).isEqualTo(1);
        channel.finishAndReleaseAll();
    }
}
